// CSV export of the panel's lists (GET /admin/export/<resourceId>.csv, live MariaDB and Redis):
// only for a role that may read the list (the role table), UTF-8 with a BOM, the list's filters
// and sort honoured, masked as the role sees the list, formula-looking cells defused, and every
// export written to the audit log; a stock-adapter list read as raw rows writes the same bytes as
// through its records, keyset pages give every row once in order, dates formatted as the panel does.
import request from 'supertest';
import type { Express } from 'express';
import { SelectQueryBuilder } from 'typeorm';
import { csvCell, csvDateTime, exportSettings } from '../../admin/export.js';
import { formatDateTime } from '../../admin/components/format.js';
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

  it('pages through more rows than one read in a stable order (keyset on sort + id), raw rows or records alike', async () => {
    const { EXPORT_PAGE } = await import('../../admin/export.js');
    // Ties on the sort column across the page boundary: payments sharing one created_at.
    const repo = ctx.rt.ds.getRepository(Payment);
    const template = payments[2]!;
    const at = new Date(Date.UTC(2025, 0, 1));
    const n = EXPORT_PAGE + 7; // past a raw page (EXPORT_PAGE) and several record pages (RECORD_PAGE)
    const rows = Array.from({ length: n }, (_, i) => {
      const { id: _id, ...rest } = template;
      // a few a minute later, so the order is not the id order alone
      return repo.create({ ...rest, userId: b.id, createdAt: i % 500 === 3 ? new Date(at.getTime() + 60_000) : at, gatewayRef: null, status: 'failed' });
    });
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
    const all = await repo.find({ where: { userId: b.id, status: 'failed' }, select: { id: true, createdAt: true } });
    expect(all).toHaveLength(n);
    const later = new Set(all.filter((p) => p.createdAt.getTime() > at.getTime()).map((p) => p.id));
    expect(later.size).toBeGreaterThan(1);
    const expected = (direction: 'asc' | 'desc') => {
      const ids = all.map((p) => p.id).sort((x, y) => x - y);
      const ordered = [...ids.filter((id) => !later.has(id)), ...ids.filter((id) => later.has(id))];
      return direction === 'asc' ? ordered : ordered.reverse();
    };
    try {
      for (const raw of [true, false]) {
        exportSettings.rawRows = raw;
        for (const direction of ['desc', 'asc'] as const) {
          const out = await csv('admin', '/admin/export/payments.csv', { 'filters.userId': b.id, 'filters.status': 'failed', sortBy: 'createdAt', direction });
          const ids = out.rows.map((r) => Number(r.split(',')[0]));
          // every row once, by created_at then id, both in the list's direction
          expect(ids).toEqual(expected(direction));
        }
      }
    } finally {
      exportSettings.rawRows = true;
    }
  });

  it('reads a stock-adapter list as raw rows of its columns and writes the same bytes as through its records', async () => {
    const admin = await as('admin');
    const to = new Date(Date.now() - 1000).toISOString(); // the audit log: rows before these exports' own entries
    const lists: Array<[string, Record<string, string>]> = [
      ['payments', { sortBy: 'createdAt', direction: 'desc' }],
      ['payments', { sortBy: 'paidAt', direction: 'asc' }],
      ['refunds', {}],
      ['subscriptions', {}],
      ['plans', { sortBy: 'id', direction: 'asc' }],
      ['discounts', {}],
      ['coupons', {}],
      ['audit_log', { 'filters.createdAt~~to': to }],
      ['users', {}],
      ['genres', {}],
      ['people', {}],
      ['cinemas', {}],
      ['showtimes', {}],
      ['movies', {}],
      ['members', {}],
    ];
    // raw reads counted (the stock path reads entities: getMany)
    const getRawMany = SelectQueryBuilder.prototype.getRawMany;
    let rawReads = 0;
    SelectQueryBuilder.prototype.getRawMany = function (this: SelectQueryBuilder<never>) {
      rawReads++;
      return getRawMany.call(this);
    } as typeof getRawMany;
    const readRaw = new Set<string>();
    try {
      for (const [id, query] of lists) {
        const get = async (raw: boolean) => {
          exportSettings.rawRows = raw;
          const calls = rawReads;
          const res = await admin.get(`/admin/export/${id}.csv`).query(query).buffer(true).parse(binary as never);
          if (raw && rawReads > calls) readRaw.add(id);
          return { status: res.status, body: Buffer.isBuffer(res.body) ? (res.body as Buffer).toString('utf8') : '' };
        };
        const raw = await get(true);
        const records = await get(false);
        expect({ id, ...raw }).toEqual({ id, ...records });
        if (raw.status === 200) expect(raw.body.split('\r\n').length).toBeGreaterThan(1);
      }
    } finally {
      exportSettings.rawRows = true;
      SelectQueryBuilder.prototype.getRawMany = getRawMany;
    }
    // payments (BoundedCountResource: its find is the adapter's) is read raw; lists with a find of their own are not
    expect(readRaw.has('payments')).toBe(true);
    expect(readRaw.has('plans')).toBe(true);
    expect(readRaw.has('audit_log')).toBe(true);
    expect(readRaw.has('members')).toBe(false);
    expect(readRaw.has('movies')).toBe(false);
  });

  it('exports the member lookup exactly as its list shows it to support (masked, same rows and order)', async () => {
    const support = await as('support');
    const zone = ctx.rt.config.serviceTimeZone;
    const list = await support.get('/admin/api/resources/members/actions/list').query({ sortBy: 'id', direction: 'desc', perPage: 100 });
    expect(list.status).toBe(200);
    const records = (list.body as { records: Array<{ params: Record<string, unknown> }> }).records;
    expect(records.length).toBeGreaterThanOrEqual(2);
    const out = await csv('support', '/admin/export/members.csv', { sortBy: 'id', direction: 'desc' });
    // what the list page shows, cell by cell (its dates arrive as ISO strings)
    const shown = records.map((r) => out.header.map((c) => {
      const v = r.params[c];
      return csvCell(typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : v, zone);
    }).join(','));
    expect(out.rows).toEqual(shown);
    const mine = out.rows.find((r) => r.startsWith(`${a.id},`))!;
    expect(mine).toContain('010-****-2818');
    expect(out.text).not.toMatch(/2718-2818|홍길동/);
    expect(out.text).not.toContain(a.email);
  });

  it('formats dates as the panel does (formatDateTime), across zone transitions', () => {
    const zones = ['Asia/Seoul', 'UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const instants: number[] = [];
    // every 7 minutes 13 seconds (+ odd milliseconds) through 2026's spring and autumn transitions in the north and the south
    for (const [from, to] of [['2026-03-07', '2026-03-10'], ['2026-03-27', '2026-03-30'], ['2026-04-03', '2026-04-06'], ['2026-10-02', '2026-10-05'], ['2026-10-24', '2026-10-27'], ['2026-10-31', '2026-11-03']] as const) {
      for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t < end; t += 433_000) instants.push(t, t + 999);
    }
    instants.push(Date.UTC(1969, 11, 31, 23, 59, 59), Date.UTC(2000, 1, 29, 12), Date.UTC(9999, 11, 31, 23), Date.UTC(999, 0, 1));
    let checked = 0;
    for (const zone of zones) {
      for (const t of instants) {
        const d = new Date(t);
        expect(`${zone} ${d.toISOString()} ${csvDateTime(d, zone)}`).toBe(`${zone} ${d.toISOString()} ${formatDateTime(d, zone, true)}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(csvCell(new Date(Date.UTC(2026, 10, 1, 3)), 'Asia/Seoul')).toBe('2026-11-01 12:00:00 KST');
    expect(csvCell(new Date(Number.NaN), 'Asia/Seoul')).toBe(formatDateTime(new Date(Number.NaN), 'Asia/Seoul', true));
  });
});
