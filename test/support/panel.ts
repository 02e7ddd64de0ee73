// Admin panel requests as the browser sends them: the panel refuses a state-changing request
// (POST, PUT, PATCH, DELETE) whose Origin (or Referer) is not its own host (admin/security.ts),
// and supertest sends neither. These set a Host and the matching Origin.
import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../src/modules/users/user.entity.js';
import type { Runtime } from '../../src/runtime.js';
import { createStaff } from './users.js';

export const PANEL_HOST = 'panel.marquee.test';
export const PANEL_ORIGIN = `http://${PANEL_HOST}`;
/** Headers of a same-origin request to the panel: `request(app).post('/admin/login').set(panelOrigin)`. */
export const panelOrigin = { Host: PANEL_HOST, Origin: PANEL_ORIGIN } as const;

/** A cookie-keeping agent whose every request comes from the panel's own origin. */
export function panelAgent(app: Express) {
  return request.agent(app).set(panelOrigin);
}

/**
 * `as(role)`: a panel agent logged in as a new staff account of that role, one per role and file
 * (created on first use). `ctx` is read lazily: files build their app in beforeAll.
 */
export function panelLogins(ctx: () => { app: Express; rt: Runtime }) {
  const agents = new Map<string, ReturnType<typeof request.agent>>();
  return async function as(role: Exclude<Role, 'user'>) {
    const known = agents.get(role);
    if (known) return known;
    const { app, rt } = ctx();
    const staff = await createStaff(rt, role);
    const agent = panelAgent(app);
    const login = await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
    if (login.status !== 302) throw new Error(`panel login as ${role}: ${login.status}`);
    agents.set(role, agent);
    return agent;
  };
}
