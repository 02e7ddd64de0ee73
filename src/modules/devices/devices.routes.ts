// Seed 000 §9: connecting a TV or projector (RFC 8628 device authorization grant).
//   POST devices/code     device asks for a device_code and a user_code (rate-limited per IP)
//   POST devices/confirm  signed-in member approves or denies the user_code (failed attempts rate-limited per member)
//   POST devices/token    device polls with its device_code (RFC 8628 §3.4/3.5 answers)
//   GET devices, DELETE devices/{device_id}   the member's devices; revoking ends the token at once
//   GET device                  the page verification_uri names by default (verification-page.ts)
import type { Request } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { HttpError, statusOf, tooMany } from '../../http/errors.js';
import type { Lang } from '../../http/i18n.js';
import { blockedFor, consume, createLimiter, spend } from '../../http/rate-limit.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { idParam } from '../../http/validation.js';
import { DEVICE_TYPES, type Device } from './device.entities.js';
import { normalizeUserCode, type DevicesService, type PollError } from './devices.service.js';
import { verificationPage } from './verification-page.js';

export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DevicesRouteDeps {
  devices: DevicesService;
  redis: Redis | null;
  redisPrefix: string;
  /** Where the member types the code (absolute, DEVICE_VERIFICATION_URI); empty → `<this server>/device`, Marquee's own page. */
  verificationUrl: string;
  publicUrl: string;
  codeRate: { points: number; durationSeconds: number; blockSeconds: number };
  confirmRate: { points: number; durationSeconds: number; blockSeconds: number };
}

const pollMessages: Record<PollError, { ko: string; en: string }> = {
  authorization_pending: { ko: '아직 앱에서 코드를 확인하지 않았습니다.', en: 'The code has not been confirmed in the app yet.' },
  slow_down: { ko: '요청이 너무 잦습니다. interval 초 간격으로 요청하세요.', en: 'Polling too fast: wait `interval` seconds between requests.' },
  expired_token: { ko: '코드가 만료되었습니다. 새 코드를 요청하세요.', en: 'The device code has expired. Request a new one.' },
  access_denied: { ko: '사용자가 기기 연결을 거부했습니다.', en: 'The member denied the device.' },
  invalid_grant: { ko: '유효하지 않거나 이미 사용된 device_code입니다.', en: 'Invalid or already used device_code.' },
};

const text = {
  tooManyCodes: { ko: '코드 요청이 너무 많습니다. {n}초 후에 다시 시도하세요.', en: 'Too many code requests. Try again in {n} seconds.' },
  tooManyConfirms: { ko: '잘못된 코드 입력이 너무 많습니다. {n}초 후에 다시 시도하세요.', en: 'Too many wrong codes. Try again in {n} seconds.' },
  badCode: { ko: '코드는 XXXX-XXXX 형식의 8자리 영문자입니다.', en: 'The code is 8 letters, shown as XXXX-XXXX.' },
  badGrant: { ko: 'grant_type은 {v} 이어야 합니다.', en: 'grant_type must be {v}.' },
};
const say = (m: { ko: string; en: string }, lang: Lang, vars: Record<string, string | number> = {}) => m[lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));

const codeBody = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: '거실 TV' }),
    type: z.enum(DEVICE_TYPES).optional().default('tv'),
  })
  .openapi('DeviceCodeRequest');

const codeResponse = z
  .object({
    device_code: z.string(),
    user_code: z.string().openapi({ example: 'BCDF-GHJK' }),
    verification_uri: z.string(),
    verification_uri_complete: z.string(),
    expires_in: z.number(),
    interval: z.number(),
  })
  .openapi('DeviceCodeResponse');

const confirmBody = z
  .object({
    user_code: z.string().trim().min(1).max(20),
    approve: z.boolean().optional().default(true),
  })
  .openapi('DeviceConfirm');

const tokenBody = z
  .object({
    device_code: z.string().trim().min(1).max(200),
    grant_type: z.string().max(100).optional(),
    client_id: z.string().max(100).optional(),
  })
  .openapi('DeviceTokenRequest');

const deviceJson = z.object({ id: z.number(), name: z.string(), type: z.enum(DEVICE_TYPES), created_at: z.string(), last_seen_at: z.string().nullable() }).openapi('Device');
const toJson = (d: Device) => ({ id: d.id, name: d.name, type: d.type, created_at: d.createdAt.toISOString(), last_seen_at: d.lastSeenAt?.toISOString() ?? null });

const oauthError = z.object({ error: z.string(), error_description: z.string(), message: z.string(), interval: z.number().optional() }).openapi('DeviceTokenError');

function baseUrl(req: Request, publicUrl: string): string {
  return publicUrl || `${req.protocol}://${req.get('host')}`;
}

export function devicesRoutes(ctx: RouteContext, deps: DevicesRouteDeps): void {
  const { devices } = deps;
  const codeLimiter = createLimiter(deps.redis, { keyPrefix: `${deps.redisPrefix}:rl:device:code`, ...deps.codeRate });
  const confirmLimiter = createLimiter(deps.redis, { keyPrefix: `${deps.redisPrefix}:rl:device:confirm`, ...deps.confirmRate });
  verificationPage(ctx.router);

  defineRoute(ctx, {
    method: 'post',
    path: '/devices/code',
    summary: '기기 연결 코드 발급 (RFC 8628 device authorization request)',
    tags: ['Devices'],
    body: codeBody,
    responses: {
      200: { description: 'device_code for the device, user_code to show the member', schema: codeResponse },
      400: { description: 'Invalid fields', schema: errorSchemas.validation },
      429: { description: 'Too many code requests from this address (Retry-After)', schema: errorSchemas.message },
    },
    handler: async ({ body, req, lang }) => {
      const wait = await spend(codeLimiter, req.ip ?? 'unknown');
      if (wait > 0) throw tooMany(wait, say(text.tooManyCodes, lang, { n: wait }));
      const code = await devices.requestCode({ name: body.name, type: body.type });
      const uri = deps.verificationUrl || `${baseUrl(req, deps.publicUrl)}/device`;
      const complete = `${uri}${uri.includes('?') ? '&' : '?'}user_code=${encodeURIComponent(code.userCode)}`;
      return {
        headers: { 'Cache-Control': 'no-store' },
        body: { device_code: code.deviceCode, user_code: code.userCode, verification_uri: uri, verification_uri_complete: complete, expires_in: code.expiresIn, interval: code.interval },
      };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/devices/confirm',
    summary: '앱에서 기기 코드 확인 (approve, or approve=false to deny); the plan’s device limit applies',
    tags: ['Devices'],
    auth: 'required',
    body: confirmBody,
    responses: {
      200: { description: 'Approved (with the new device) or denied', schema: z.object({ status: z.enum(['approved', 'denied']), device: deviceJson.nullable() }) },
      400: { description: 'Malformed code', schema: errorSchemas.validation },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
      403: { description: 'Device limit of the plan reached', schema: z.object({ message: z.string(), device_limit: z.number(), active_devices: z.number() }) },
      404: { description: 'No such code', schema: errorSchemas.detail },
      410: { description: 'Code expired or already used', schema: errorSchemas.message },
      429: { description: 'Too many wrong codes (Retry-After)', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => {
      const key = String(user!.id);
      const wait = await blockedFor(confirmLimiter, key);
      if (wait > 0) throw tooMany(wait, say(text.tooManyConfirms, lang, { n: wait }));
      const code = normalizeUserCode(body.user_code);
      try {
        if (!code) throw new HttpError(400, { user_code: [say(text.badCode, lang)] });
        const res = await devices.confirm(user!, code, body.approve);
        return { body: { status: res.status, device: res.device ? toJson(res.device) : null } };
      } catch (err) {
        // Wrong, expired or used codes count towards the member's budget (guessing codes).
        if ([400, 404, 410].includes(statusOf(err) ?? 0)) await consume(confirmLimiter, key, deps.confirmRate.blockSeconds);
        throw err;
      }
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/devices/token',
    summary: '기기 토큰 폴링 (RFC 8628 device access token request): authorization_pending, slow_down, expired_token, access_denied, or the token',
    tags: ['Devices'],
    body: tokenBody,
    responses: {
      200: { description: 'The device token', schema: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number(), device: deviceJson }) },
      400: { description: 'RFC 8628 error (error, error_description; interval on slow_down), or validation errors', schema: oauthError },
    },
    handler: async ({ body, lang }) => {
      if (body.grant_type !== undefined && body.grant_type !== DEVICE_GRANT_TYPE) {
        throw new HttpError(400, { error: 'unsupported_grant_type', error_description: say(text.badGrant, lang, { v: DEVICE_GRANT_TYPE }), message: say(text.badGrant, lang, { v: DEVICE_GRANT_TYPE }) });
      }
      const res = await devices.poll(body.device_code);
      const headers = { 'Cache-Control': 'no-store' };
      if (!res.ok) {
        const description = say(pollMessages[res.error], lang);
        throw new HttpError(400, { error: res.error, error_description: description, message: description, ...(res.interval ? { interval: res.interval } : {}) }, headers);
      }
      return { headers, body: { access_token: res.accessToken, token_type: 'Bearer', expires_in: res.expiresIn, device: toJson(res.device) } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/devices',
    summary: '연결된 기기 목록',
    tags: ['Devices'],
    auth: 'required',
    responses: {
      200: { description: 'Active devices, oldest first, with the plan’s limit', schema: z.object({ device_limit: z.number(), count: z.number(), results: z.array(deviceJson) }) },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
    },
    handler: async ({ user }) => {
      const [rows, limit] = await Promise.all([devices.list(user!.id), devices.deviceLimit(user!.id)]);
      return { body: { device_limit: limit, count: rows.length, results: rows.map(toJson) } };
    },
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/devices/:device_id',
    summary: '기기 연결 해제 (its token stops working at once)',
    tags: ['Devices'],
    auth: 'required',
    params: z.object({ device_id: idParam }),
    responses: {
      204: { description: 'Revoked' },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
      404: { description: 'Not one of the member’s active devices', schema: errorSchemas.detail },
    },
    handler: async ({ params, user, lang }) => {
      await devices.revoke(user!, params.device_id);
      return { status: 204 };
    },
  });
}
