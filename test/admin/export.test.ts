// CSV export of the panel's lists (GET /admin/export/<resourceId>.csv, live MariaDB and Redis):
// only for a role that may read the list (the role table), UTF-8 with a BOM, the list's filters
// and sort honoured, masked as the role sees the list, formula-looking cells defused, and every
// export written to the audit log.
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Payment } from '../../src/modules/commerce/commerce.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { capturedPaymentAt, memberAccount, type Account } from '../support/commerce-instruments.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelAgent, panelLogins } from '../support/panel.js';

let ctx: TestContext & { app: Express };
let a: Account;
let b: Account;
const payments: Payment[] = [];

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  a = await memberAccount(ctx.rt, ctx.app);
  b = await memberAccount(ctx.rt, ctx.app);
  await ctx.rt.ds.getRepository(User).update({ id: a.id }, { fullName: '=1+2+홍길동', phone: '010-2718-2818' });
  const base = Date.UTC(2026, 10, 1, 3, 0, 0);
  for (const [i, who] of [a, a, b].entries()) payments.push(await capturedPaymentAt(ctx.rt, ctx.app, who, { plan: 'monthly' }, new Date(base + i * 86_400_000)));
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const as = panelLogins(() => ctx);

/** The raw bytes of a response (the BOM must survive), as text. */
const raw = (res: request.Response) => res.body as Buffer;
const binary = (res: import('node:http').IncomingMessage, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
async function csv(role: 'admin' | 'finance' | 'support' | 'catalog', path: string, query: Record<string, string | number> = {}) {
  const res = await (await as(role)).get(path).query(query).buffer(true).parse(binary as never);
  const bytes = raw(res);
  const text = Buffer.isBuffer(bytes) ? bytes.toString('utf8') : '';
  const lines = text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  return { res, bytes, text, header: lines[0]?.split(',') ?? [], rows: lines.slice(1) };
}

describe('GET /admin/export/<resource>.csv', () => {
  it('finance exports payments with the list’s filters and sort, UTF-8 with a BOM, and the export is audited', async () => {
    const before = await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'export', resource: 'payments' });
    const out = await csv('finance', '/admin/export/payments.csv', { 'filters.userId': a.id, 'filters.status': 'paid', sortBy: 'createdAt', direction: 'asc' });
    expect(out.res.status).toBe(200);
    expect(out.res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(out.res.headers['content-disposition']).toMatch(/^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...out.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // the list's columns, its rows: member a's two payments, oldest first
    expect(out.header).toEqual(['id', 'userId', 'kind', 'planId', 'status', 'amountTotal', 'refundedAmount', 'currency', 'paidAt', 'createdAt']);
    expect(out.rows.map((r) => Number(r.split(',')[0]))).toEqual([payments[0]!.id, payments[1]!.id]);
    expect(out.rows[0]).toContain(',paid,');
    // times in the service's zone, labelled, as the panel shows them
    expect(out.rows[0]).toContain('2026-11-01 12:00:00 KST');
    const desc = await csv('finance', '/admin/export/payments.csv', { 'filters.userId': a.id, sortBy: 'createdAt', direction: 'desc' });
    expect(desc.rows.map((r) => Number(r.split(',')[0]))).toEqual([payments[1]!.id, payments[0]!.id]);

    const entries = await ctx.rt.ds.getRepository(AuditEntry).find({ where: { action: 'export', resource: 'payments' }, order: { id: 'ASC' } });
    expect(entries.length).toBe(before + 2);
    const first = entries[before]!;
    expect(first.actorEmail).toMatch(/^finance/);
    expect(first.reason).toBe('CSV export of 2 row(s)');
    expect(JSON.parse(first.diff!)).toEqual(expect.objectContaining({ rows: [null, 2], filters: [null, { userId: String(a.id), status: 'paid' }] }));
  });

  it('refuses a role that may not read the list (403), an unknown list (404), and no session', async () => {
    const denied = await (await as('catalog')).get('/admin/export/payments.csv');
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ message: expect.any(String) });
    expect((await (await as('support')).get('/admin/export/refunds.csv')).status).toBe(403);
    expect((await (await as('support')).get('/admin/export/users.csv')).status).toBe(403);
    expect((await (await as('finance')).get('/admin/export/nope.csv')).status).toBe(404);
    const anonymous = await panelAgent(ctx.app).get('/admin/export/payments.csv');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/\/admin\/login/);
  });

  it('exports the member lookup masked for support (search included), formula-looking cells defused', async () => {
    const out = await csv('support', '/admin/export/members.csv', { 'filters.q': '010-2718-2818' });
    expect(out.res.status).toBe(200);
    expect(out.header).toEqual(['id', 'username', 'fullName', 'email', 'phone', 'age', 'createdAt']);
    expect(out.rows).toHaveLength(1);
    expect(out.text).not.toMatch(/2718-2818|홍길동|27182818/);
    expect(out.rows[0]).toContain('010-****-2818');
    // "=1+2+홍길동" masked is "=*******동": starting with "=", so it is written as text
    expect(out.rows[0]).toContain(`,'=${'*'.repeat(6)}동,`);
    expect(out.rows[0]).toContain(a.username);
    expect(out.rows[0]).not.toContain(a.email);
    const plain = await csv('support', '/admin/export/members.csv', { 'filters.username': a.username });
    expect(plain.rows).toHaveLength(1);
    expect(plain.text).not.toMatch(/2718-2818/);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'export', resource: 'members' })).toBe(2);
  });

  it('pages through more rows than one read in a stable order (keyset on sort + id)', async () => {
    const { EXPORT_PAGE } = await import('../../admin/export.js');
    // Ties on the sort column across the page boundary: payments sharing one created_at.
    const repo = ctx.rt.ds.getRepository(Payment);
    const template = payments[2]!;
    const at = new Date(Date.UTC(2025, 0, 1));
    const n = EXPORT_PAGE + 7;
    const rows = Array.from({ length: n }, () => {
      const { id: _id, ...rest } = template;
      return repo.create({ ...rest, userId: b.id, createdAt: at, gatewayRef: null, status: 'failed' });
    });
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
    const out = await csv('admin', '/admin/export/payments.csv', { 'filters.userId': b.id, 'filters.status': 'failed', sortBy: 'createdAt', direction: 'desc' });
    const ids = out.rows.map((r) => Number(r.split(',')[0]));
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    expect(ids).toEqual([...ids].sort((x, y) => y - x)); // ties broken by id, same direction
  });
});
