// Admin panel requests as the browser sends them: the panel refuses a state-changing request
// (POST, PUT, PATCH, DELETE) whose Origin (or Referer) is not its own host (admin/security.ts),
// and supertest sends neither. These set a Host and the matching Origin.
import request from 'supertest';
import type { Express } from 'express';

export const PANEL_HOST = 'panel.marquee.test';
export const PANEL_ORIGIN = `http://${PANEL_HOST}`;
/** Headers of a same-origin request to the panel: `request(app).post('/admin/login').set(panelOrigin)`. */
export const panelOrigin = { Host: PANEL_HOST, Origin: PANEL_ORIGIN } as const;

/** A cookie-keeping agent whose every request comes from the panel's own origin. */
export function panelAgent(app: Express) {
  return request.agent(app).set(panelOrigin);
}
