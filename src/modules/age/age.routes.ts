// Seed 000 §10 (인증 관리): a member proves their age through an identity provider.
//   POST user/verification            start → tx_id and the provider's page
//   POST user/verification/callback   the provider's signed result (no member token: the tx ties it)
//   GET  user/verification            the member's status (masked name, birth date, age, adult)
import type { Request } from 'express';
import { z } from 'zod';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import type { AgeService } from './age.service.js';

export interface AgeRouteDeps {
  age: AgeService;
  publicUrl: string;
}

const statusSchema = z
  .object({
    verified: z.boolean(),
    provider: z.string().nullable(),
    name: z.string().nullable().openapi({ example: '홍*동' }),
    birth_date: z.string().nullable(),
    age: z.number().nullable(),
    adult: z.boolean(),
    verified_at: z.string().nullable(),
  })
  .openapi('AgeVerificationStatus');

const callbackBody = z
  .object({
    tx_id: z.string().min(1).max(100),
    result: z.string().max(40),
    name: z.string().max(100),
    birth_date: z.string().max(20),
    ci: z.string().max(200),
    signature: z.string().max(200),
  })
  .openapi('VerificationCallback');

const base = (req: Request, publicUrl: string) => publicUrl || `${req.protocol}://${req.get('host')}`;

export function ageRoutes(ctx: RouteContext, deps: AgeRouteDeps): void {
  const { age } = deps;

  defineRoute(ctx, {
    method: 'post',
    path: '/user/verification',
    summary: '본인인증 시작 (identity verification: returns the provider page to open)',
    tags: ['Verification'],
    auth: 'required',
    responses: {
      201: { description: 'Transaction started', schema: z.object({ tx_id: z.string(), provider: z.string(), url: z.string(), expires_at: z.string() }) },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
    },
    handler: async ({ user, req }) => {
      const tx = await age.start(user!, `${base(req, deps.publicUrl)}/user/verification/callback/`);
      return { status: 201, body: { tx_id: tx.txId, provider: tx.provider, url: tx.url, expires_at: tx.expiresAt.toISOString() } };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/user/verification/callback',
    summary: '본인인증 결과 콜백 (signed by the provider; stores birth date and CI hash, never an ID number)',
    tags: ['Verification'],
    body: callbackBody,
    responses: {
      200: { description: 'Recorded: verified, or failed (cancelled by the member…)', schema: z.object({ status: z.enum(['verified', 'failed']), reason: z.string().optional() }) },
      400: { description: 'Missing fields or a bad signature', schema: errorSchemas.message },
      404: { description: 'Unknown transaction', schema: errorSchemas.detail },
      409: { description: 'This identity is verified on another account', schema: errorSchemas.message },
      410: { description: 'Transaction already completed or expired', schema: errorSchemas.message },
    },
    handler: async ({ body, lang }) => {
      const res = await age.callback(body);
      return { body: res.reason ? { status: res.status, reason: res.reason } : { status: res.status } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/user/verification',
    summary: '본인인증 상태',
    tags: ['Verification'],
    auth: 'required',
    responses: { 200: { description: 'The member’s verification', schema: statusSchema }, 401: { description: 'No or invalid token', schema: errorSchemas.message } },
    handler: async ({ user }) => {
      const s = await age.status(user!.id);
      return { body: { verified: s.verified, provider: s.provider, name: s.name, birth_date: s.birthDate, age: s.age, adult: s.adult, verified_at: s.verifiedAt?.toISOString() ?? null } };
    },
  });
}
