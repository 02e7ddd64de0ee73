// SQL injection and XSS payloads into every input of every public API endpoint (issue 7).
//
// The endpoints come from the app's own OpenAPI document (generated from the route schemas), so a
// new route is fuzzed without touching this file. For each operation every path parameter, query
// parameter and body field (strings, ids, numbers, array items, fields of array items; the text
// fields of multipart forms) gets several SQLi and several XSS payloads while the other inputs
// keep valid values, with an admin token (a member token where the route is not for staff).
// Every response must be < 500, carry no database error text or stack trace, and never echo a
// payload in an HTML page; a response that echoes one must be JSON with nosniff. A representative
// set of inputs (free-text search, login, path words, stored text) gets the whole list.
//
// "No data changed by a payload", as far as it can honestly be checked from outside:
// - the schema is the same (no table dropped, created or altered);
// - no table lost a row (the run sends no valid DELETE), and `users` grew by exactly the sign-ups
//   that answered 200; no account but the pre-existing staff holds a staff role;
// - every row of the key tables that no request addressed (a sentinel member with its payment
//   method and payment, a sentinel genre, movie and manufacturer, the admin whose token is used,
//   the plans) is byte-identical — a tautology or stacked UPDATE/DELETE would reach them;
// - text that was legitimately stored (genre names, manufacturer notes, rating comments) reads
//   back exactly as sent: stored as data, never interpreted (`{{7*7}}` stays `{{7*7}}`);
// - a tautology in a search parameter finds nothing (it does not widen the WHERE clause);
// - a time-based payload (SLEEP, BENCHMARK, …) never makes a request take SLEEP_SECONDS.
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Express } from 'express';
import { Cinema } from '../../src/modules/cinemas/cinema.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin, uniqueName } from '../support/users.js';
import { ALL_PAYLOADS, isTimeBased, LEAK_PATTERNS, SLEEP_SECONDS, SQLI, XSS, sampleFor, type Payload } from './payloads.js';

const PER_KIND = 6; // payloads of each kind per input (the full lists go through the representative inputs)
const CONCURRENCY = 6;
const GHOST_ID = 987654321; // an id no row has

type Json = Record<string, unknown>;
interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
  example?: unknown;
  default?: unknown;
  minLength?: number;
  pattern?: string;
  $ref?: string;
}
interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
  required?: boolean;
}
interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  params: Param[];
  contentType?: string;
  body?: Schema;
  secured: boolean;
}
interface Outcome {
  op: string;
  input: string;
  payload: string;
  status: number;
  ms: number;
  problems: string[];
}

let ctx: TestContext & { app: Express };
let server: Server;
let doc: { paths: Record<string, Record<string, Json>>; components: { schemas: Record<string, Schema> } };
let ops: Operation[] = [];

const ids: Record<string, number | string> = {};
const tokens: { admin: string; member: string; passwordMember: string; logoutMember: string } = { admin: '', member: '', passwordMember: '', logoutMember: '' };
let memberPassword = '';
let passwordMemberPassword = '';
const sentinel: Record<string, number[]> = {};
const signups = { ok: 0 };
const outcomes: Outcome[] = [];
const coverage = new Map<string, Set<string>>(); // op → inputs fuzzed
const tokenOf = new Map<string, 'admin' | 'member' | 'passwordMember' | 'logoutMember' | 'none'>();

const auth = (t: string) => ({ Authorization: `JWT ${t}` });
const opKey = (o: Pick<Operation, 'method' | 'path'>) => `${o.method.toUpperCase()} ${o.path}`;

// ---- the database fingerprint ---------------------------------------------------------------

const KEY_TABLES = ['users', 'movies', 'genres', 'manufacturers', 'payments', 'payment_methods', 'plans', 'discounts', 'coupons', 'subscriptions'];

interface Fingerprint {
  schema: string;
  tables: string[];
  counts: Record<string, number>;
  rows: Record<string, Map<string, string>>; // table → id → row hash
  staff: string[];
}

async function fingerprint(): Promise<Fingerprint> {
  const q = (sql: string) => ctx.rt.ds.query(sql) as Promise<Json[]>;
  const cols = await q(`SELECT table_name AS t, column_name AS c, column_type AS ty, is_nullable AS n, column_default AS d FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, column_name`);
  const tables = (await q(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name`)).map((r) => String(r.t));
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await q(`SELECT COUNT(*) AS n FROM \`${t}\``))[0].n);
  const rows: Record<string, Map<string, string>> = {};
  for (const t of KEY_TABLES.filter((k) => tables.includes(k))) {
    const m = new Map<string, string>();
    for (const r of await q(`SELECT * FROM \`${t}\` ORDER BY id`)) {
      m.set(String(r.id), createHash('sha256').update(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).digest('hex'));
    }
    rows[t] = m;
  }
  const staff = (await q(`SELECT id, role FROM users WHERE role <> 'user' ORDER BY id`)).map((r) => `${r.id}:${r.role}`);
  return { schema: createHash('sha256').update(JSON.stringify(cols)).digest('hex'), tables, counts, rows, staff };
}

// ---- OpenAPI → operations --------------------------------------------------------------------

function deref(s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  return deref(doc.components.schemas[s.$ref.replace('#/components/schemas/', '')]);
}

function readOperations(): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const o = raw as { parameters?: Param[]; requestBody?: { content: Record<string, { schema: Schema }> }; security?: unknown[] };
      const [contentType, content] = Object.entries(o.requestBody?.content ?? {})[0] ?? [];
      out.push({ method: method as Operation['method'], path, params: o.parameters ?? [], contentType, body: deref(content?.schema), secured: Boolean(o.security?.length) });
    }
  }
  return out;
}

// ---- valid values ----------------------------------------------------------------------------

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString();
const nextYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

/** A valid value for a parameter or field, by its name (and path), else from its schema. */
function validValue(name: string, schema: Schema | undefined, op: Operation): unknown {
  const p = op.path;
  const byName: Record<string, unknown> = {
    genre_num: ids.genre,
    movie_num: ids.movie,
    movie_id: ids.movie,
    movie: ids.movie,
    item: ids.movie,
    manufacturer_id: ids.manufacturer,
    manufacturer: ids.manufacturer,
    content_id: ids.content,
    content: ids.content,
    cinema_id: ids.cinema,
    cinema: ids.cinema,
    rating_id: p.startsWith('/cinema/') ? ids.cinemaRating : ids.movieRating,
    display_no: 1,
    user_id: ids.member,
    member_id: ids.member,
    users: [ids.member],
    methods_id: ids.method,
    method_id: ids.method,
    discount_id: ids.discount,
    coupon_id: ids.coupon,
    payments_id: ids.payment,
    payment_id: ids.payment,
    refund_code: 'RF-NOT-A-REFUND',
    device_id: GHOST_ID,
    words: '신과',
    page: 1,
    page_size: 10,
    country: 'KR',
    search: 'marquee',
    x: '127.0276',
    y: '37.4979',
    x1: '127.0',
    y1: '37.4',
    x2: '127.1',
    y2: '37.5',
    date: new Date().toISOString().slice(0, 10),
    start_time: '10:00',
    force: 'false',
    unmask: 'false',
    role: 'user',
    username: p.startsWith('/user/signup') ? undefined : ids.memberUsername,
    password: p.startsWith('/user/password') ? passwordMemberPassword : p.startsWith('/user/login') ? memberPassword : undefined,
    new_password: 'a-new-valid-password-9',
    email: `${uniqueName('sec')}@example.com`,
    valid_from: tomorrow(),
    valid_until: nextYear(),
    open_date: '2024-05-01',
    partnership_started_on: '2024-01-01',
    partnership_ended_on: null,
    phone: '02-123-4567',
    score: 4,
    position: 10,
    duration: 100,
    value: 10,
    user_code: 'ABCD-EFGH',
    device_code: 'not-a-device-code',
    cvc: '123',
    card_number: '4242 4242 4242 4242',
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 2,
  };
  if (name in byName && byName[name] !== undefined) return byName[name];
  if (name === 'plan' || name === 'plans') return name === 'plans' ? ['monthly'] : 'monthly';
  if (name === 'code') return `SEC${randomBytes(4).toString('hex').toUpperCase()}`;
  if (name === 'name' && p.startsWith('/movie/genre')) return uniqueName('장르');
  return fromSchema(schema, name, op);
}

function fromSchema(raw: Schema | undefined, name: string, op: Operation): unknown {
  const s = deref(raw);
  if (!s) return 'valid text';
  if (s.example !== undefined && typeof s.example !== 'object') return s.example;
  if (s.enum?.length) return s.enum.find((v) => v !== null);
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length) return fromSchema(alt.find((a) => deref(a)?.type) ?? alt[0], name, op);
  switch (s.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return s.items ? [fromSchema(s.items, name, op)] : [];
    case 'object':
      return validBody(s, op);
    case 'string':
      if (s.format === 'date-time') return tomorrow();
      if (s.format === 'date') return '2024-05-01';
      if (s.format === 'binary') return undefined;
      return `valid ${name}`.slice(0, Math.min(40, (s as { maxLength?: number }).maxLength ?? 40));
    default:
      return 'valid text';
  }
}

/** The properties of a body schema (the first alternative of a oneOf). */
function bodyProps(body: Schema | undefined): Record<string, Schema> {
  const s = deref(body);
  if (!s) return {};
  if (s.properties) return s.properties;
  const alt = s.oneOf ?? s.anyOf;
  return alt?.length ? bodyProps(alt[0]) : {};
}

const BODY_OVERRIDES: Record<string, () => Json> = {
  'POST /payments/methods/': () => ({ type: 'card', card_number: '4242 4242 4242 4242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123', holder: 'HONG GILDONG' }),
  'POST /payments/request/': () => ({ plan: 'monthly', method_id: ids.method }),
  'POST /discounts/': () => ({ name: uniqueName('할인'), kind: 'promotion', type: 'percent', value: 10 }),
  'PUT /discounts/{discount_id}/': () => ({ name: uniqueName('할인') }),
  'POST /coupons/': () => ({ code: `SEC${randomBytes(4).toString('hex').toUpperCase()}`, name: uniqueName('쿠폰'), type: 'percent', value: 10, total_limit: 100 }),
  'POST /coupons/{coupon_id}/issues/': () => ({ user_id: ids.member }),
  'PUT /payments/': () => ({ payment_id: ids.payment, status: 'failed', reason: 'security suite' }),
  'POST /refunds/': () => ({ payment_id: ids.payment, reason: 'security suite' }),
  'PUT /payments/users/{user_id}/subscription/': () => ({ plan: 'monthly', method_id: ids.method }),
  'PUT /payments/methods/{methods_id}/': () => ({ holder: 'HONG GILDONG', exp_month: 12, exp_year: new Date().getUTCFullYear() + 3 }),
  'PATCH /user/password/': () => ({ password: passwordMemberPassword, new_password: 'a-new-valid-password-9' }),
  'POST /user/signup/': () => ({ username: uniqueName('sig'), password: 'valid-password-1', email: `${uniqueName('sig')}@example.com` }),
  'POST /user/login/': () => ({ username: ids.memberUsername, password: memberPassword }),
  'POST /user/rating/': () => ({ data: [{ movie: ids.movie, score: 4 }] }),
  'POST /devices/code/': () => ({ name: '거실 TV', type: 'tv' }),
  'POST /movie/genres/{genre_num}/movies/': () => ({ ...movieBody(uniqueName('영화')), genres: [ids.genre], directors: ['봉준호'], actors: ['송강호'], manufacturer: ids.manufacturer }),
  'PUT /movie/genres/{genre_num}/movies/{movie_num}/': () => ({ ...movieBody(String(ids.movieName)), genres: [ids.genre], directors: ['봉준호'], actors: ['송강호'], manufacturer: ids.manufacturer }),
  'PUT /contents/{content_id}/metadata/': () => ({ audio_languages: ['ko'], subtitles: ['ko', 'en'], tags: ['4K'] }),
};

function validBody(body: Schema | undefined, op: Operation): Json {
  const override = BODY_OVERRIDES[opKey(op)];
  if (override) return override();
  const out: Json = {};
  for (const [name, s] of Object.entries(bodyProps(body))) {
    const v = validValue(name, s, op);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

// ---- requests --------------------------------------------------------------------------------

interface Call {
  op: Operation;
  input: string;
  payload?: Payload;
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  body?: Json;
}

function buildUrl(op: Operation, path: Record<string, unknown>): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(String(path[name])));
}

function send(c: Call): request.Test {
  const { op } = c;
  const who = tokenOf.get(opKey(op)) ?? 'admin';
  let r = request(server)[op.method](buildUrl(op, c.path)).query(c.query as Record<string, string>);
  if (who !== 'none') r = r.set(auth(tokens[who]));
  if (op.method === 'post' && /^\/(payments|refunds)\//.test(op.path)) r = r.set('Idempotency-Key', randomUUID());
  if (c.body === undefined) return r;
  if (op.contentType?.startsWith('multipart/')) {
    for (const [k, v] of Object.entries(c.body)) if (v !== undefined && v !== null) r = r.field(k, typeof v === 'string' ? v : JSON.stringify(v));
    return r;
  }
  return r.send(c.body);
}

/** Every way the payload can show up in a response (raw, JSON-escaped, decoded). */
function forms(p: string): string[] {
  const out = new Set([p, JSON.stringify(p).slice(1, -1)]);
  try {
    out.add(decodeURIComponent(p));
  } catch {
    /* not decodable */
  }
  return [...out].filter((s) => s.length > 0);
}

/** Payloads that would be markup or script in a page (a lone quote is in every page anyway). */
const htmlActive = (p: string) => /<|javascript:|\bon\w+\s*=/i.test(p);

function check(c: Call, res: request.Response, ms: number): string[] {
  const problems: string[] = [];
  const p = c.payload?.value ?? '';
  if (res.status >= 500) problems.push(`status ${res.status}`);
  let text = res.text ?? '';
  for (const f of p ? forms(p) : []) text = text.split(f).join('');
  for (const re of LEAK_PATTERNS) if (re.test(text)) problems.push(`leaks ${re}: ${text.match(re)?.[0]}`);
  const type = String(res.headers['content-type'] ?? '');
  if (p && /text\/html/i.test(type) && htmlActive(p) && (res.text ?? '').includes(p)) problems.push('payload reflected unescaped in HTML');
  if (p && htmlActive(p) && (res.text ?? '').includes(p)) {
    if (!/application\/(problem\+)?json/i.test(type)) problems.push(`payload echoed as ${type || 'untyped'}`);
    if (res.headers['x-content-type-options'] !== 'nosniff') problems.push('payload echoed without nosniff');
  }
  if (p && isTimeBased(p) && ms >= SLEEP_SECONDS * 1000 * 0.8) problems.push(`took ${ms} ms (time-based payload ran?)`);
  return problems;
}

async function run(c: Call): Promise<request.Response> {
  const t0 = Date.now();
  const res = await send(c);
  const ms = Date.now() - t0;
  const k = opKey(c.op);
  if (k === 'POST /user/signup/' && res.status === 200) signups.ok++;
  if (c.payload) {
    if (!coverage.has(k)) coverage.set(k, new Set());
    coverage.get(k)!.add(c.input);
  }
  outcomes.push({ op: k, input: c.input, payload: c.payload?.value ?? '(valid)', status: res.status, ms, problems: check(c, res, ms) });
  return res;
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}

/** The valid parts of a request to an operation (ghost ids in the path of a DELETE fuzzing its query). */
function baseCall(op: Operation, ghostPath = false): Call {
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  for (const prm of op.params) {
    if (prm.in === 'path') path[prm.name] = ghostPath && prm.schema?.type !== 'string' ? GHOST_ID : validValue(prm.name, prm.schema, op);
    if (prm.in === 'query') {
      const v = validValue(prm.name, prm.schema, op);
      if (v !== undefined && (prm.required || typeof v !== 'string' || !v.startsWith('valid '))) query[prm.name] = v;
    }
  }
  const body = op.body ? validBody(op.body, op) : undefined;
  return { op, input: '(valid)', path, query, body };
}

/** Every fuzzable input of an operation, as a function that puts a payload into a base call. */
function inputsOf(op: Operation): { name: string; apply: (c: Call, v: string) => void }[] {
  const out: { name: string; apply: (c: Call, v: string) => void }[] = [];
  for (const prm of op.params) {
    if (prm.in === 'path') out.push({ name: `path:${prm.name}`, apply: (c, v) => void (c.path[prm.name] = v) });
    if (prm.in === 'query') out.push({ name: `query:${prm.name}`, apply: (c, v) => void (c.query[prm.name] = v) });
  }
  for (const [name, raw] of Object.entries(bodyProps(op.body))) {
    const s = deref(raw);
    if (s?.format === 'binary') continue; // the file part of an upload: skipped
    out.push({ name: `body:${name}`, apply: (c, v) => void (c.body![name] = v) });
    const items = deref(s?.items);
    if (s?.type === 'array' && items) {
      if (items.properties) {
        for (const sub of Object.keys(items.properties)) {
          out.push({
            name: `body:${name}[].${sub}`,
            apply: (c, v) => {
              const first = (Array.isArray(c.body![name]) ? (c.body![name] as Json[])[0] : undefined) ?? {};
              c.body![name] = [{ ...first, [sub]: v }];
            },
          });
        }
      } else {
        out.push({ name: `body:${name}[]`, apply: (c, v) => void (c.body![name] = [v]) });
      }
    }
  }
  return out;
}

function fuzzCalls(op: Operation, input: { name: string; apply: (c: Call, v: string) => void }, payloads: readonly Payload[]): Call[] {
  // A DELETE's valid path would delete the row: when its query or body is fuzzed, the path names no row.
  const ghost = op.method === 'delete' && !input.name.startsWith('path:');
  return payloads.map((payload) => {
    const c = baseCall(op, ghost);
    c.input = input.name;
    c.payload = payload;
    input.apply(c, payload.value);
    return c;
  });
}

/**
 * Which token an operation is called with: admin, unless the route is a member's own (the valid
 * request fails for the admin and works for the member). The valid requests sent
 * here are the baseline of the run (a DELETE names no row).
 */
async function chooseToken(op: Operation): Promise<void> {
  const k = opKey(op);
  if (k === 'PATCH /user/password/') return void tokenOf.set(k, 'passwordMember');
  // "Log out everywhere" ends the caller's tokens: a member of its own, so the others stay valid.
  if (k === 'POST /user/logout-all/') return void tokenOf.set(k, 'logoutMember');
  if (op.method === 'delete' && !op.params.some((p) => p.in === 'path')) return void tokenOf.set(k, 'none'); // DELETE /user/profile/ etc.: the caller's own data
  tokenOf.set(k, 'admin');
  const asAdmin = await run(baseCall(op, op.method === 'delete'));
  if (asAdmin.status < 400) return;
  tokenOf.set(k, 'member');
  const asMember = await run(baseCall(op, op.method === 'delete'));
  if (asMember.status >= 400) tokenOf.set(k, 'admin');
}

// ---- set-up ----------------------------------------------------------------------------------

async function staffToken(role: 'admin') {
  const s = await createStaff(ctx.rt, role);
  const res = await request(server).post('/user/login/').send({ username: s.user.username, password: s.password }).expect(200);
  return { token: res.body.token as string, id: s.user.id };
}

function fakeMp4(bytes: number): Buffer {
  const head = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1')]);
  return Buffer.concat([head, randomBytes(bytes - head.length)]);
}

async function userId(username: string) {
  return (await ctx.rt.ds.getRepository(User).findOneByOrFail({ username })).id;
}

const movieBody = (name: string) => ({ name, name_eng: 'Security Suite', watch_grade: '12세 관람가', running_time: '100분', summary: 'x', open_date: '2024-05-01', country: 'kr' });

/** A member with a card and a requested payment, and a genre, movie and manufacturer: rows no request names. */
async function sentinels() {
  const m = await signupAndLogin(server as never);
  const mid = await userId(m.username);
  const card = await request(server).post('/payments/methods/').set(auth(m.token)).send(BODY_OVERRIDES['POST /payments/methods/']()).expect(201);
  const pay = await request(server).post('/payments/request/').set(auth(m.token)).set('Idempotency-Key', randomUUID()).send({ plan: 'monthly', method_id: card.body.id }).expect(201);
  const g = await request(server).post('/movie/genre/').set(auth(tokens.admin)).send({ name: uniqueName('보초') }).expect(201);
  const mv = await request(server).post(`/movie/genres/${g.body.id}/movies/`).set(auth(tokens.admin)).send(movieBody(uniqueName('보초영화'))).expect(201);
  const mf = await request(server).post('/manufacturers/').set(auth(tokens.admin)).send({ name: uniqueName('보초제작사') }).expect(201);
  Object.assign(sentinel, { users: [mid, Number(ids.admin)], payment_methods: [card.body.id], payments: [pay.body.payment_id], genres: [g.body.id], movies: [mv.body.id], manufacturers: [mf.body.id] });
}

let before: Fingerprint;

beforeAll(async () => {
  ctx = await createTestApp({
    env: { LOGIN_RATE_POINTS: '1000000', DEVICE_CODE_RATE_POINTS: '1000000', DEVICE_CONFIRM_RATE_POINTS: '1000000' },
  });
  server = ctx.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const a = await staffToken('admin');
  tokens.admin = a.token;
  ids.admin = a.id;

  const member = await signupAndLogin(server as never);
  tokens.member = member.token;
  memberPassword = member.password;
  ids.memberUsername = member.username;
  ids.member = await userId(member.username);
  const pw = await signupAndLogin(server as never);
  tokens.passwordMember = pw.token;
  passwordMemberPassword = pw.password;
  tokens.logoutMember = (await signupAndLogin(server as never)).token;

  const g = await request(server).post('/movie/genre/').set(auth(tokens.admin)).send({ name: uniqueName('대상') }).expect(201);
  ids.genre = g.body.id;
  ids.movieName = uniqueName('신과함께');
  const mv = await request(server).post(`/movie/genres/${ids.genre}/movies/`).set(auth(tokens.admin)).send(movieBody(String(ids.movieName))).expect(201);
  ids.movie = mv.body.id;
  ids.manufacturer = (await request(server).post('/manufacturers/').set(auth(tokens.admin)).send({ name: uniqueName('marquee 제작사') }).expect(201)).body.id;
  const cinema = await ctx.rt.ds.getRepository(Cinema).save(ctx.rt.ds.getRepository(Cinema).create({ region: '서울', area: '강남구', name: uniqueName('시네마'), address: '서울 강남구 강남대로 438', x: 127.0276, y: 37.4979, type: 'CGV', tel: '1544-1122', img: 'http://img.cgv.co.kr/x.jpg', url: 'http://www.cgv.co.kr/' }));
  ids.cinema = cinema.id;
  const content = await request(server).post('/contents/').set(auth(tokens.admin)).field('title', '보안 테스트 콘텐츠').attach('file', fakeMp4(4096), { filename: 'a.mp4', contentType: 'video/mp4' }).expect(201);
  ids.content = content.body.id;
  ids.movieRating = (await request(server).post('/movie/rating/').set(auth(tokens.member)).send({ movie: ids.movie, score: 4, comment: 'good' }).expect(201)).body.id;
  ids.cinemaRating = (await request(server).post('/cinema/rating/').set(auth(tokens.member)).send({ cinema: ids.cinema, score: 4, comment: 'good' }).expect(201)).body.id;
  ids.method = (await request(server).post('/payments/methods/').set(auth(tokens.member)).send(BODY_OVERRIDES['POST /payments/methods/']()).expect(201)).body.id;
  ids.discount = (await request(server).post('/discounts/').set(auth(tokens.admin)).send(BODY_OVERRIDES['POST /discounts/']()).expect(201)).body.id;
  ids.coupon = (await request(server).post('/coupons/').set(auth(tokens.admin)).send(BODY_OVERRIDES['POST /coupons/']()).expect(201)).body.id;
  await request(server).post(`/coupons/${ids.coupon}/issues/`).set(auth(tokens.admin)).send({ user_id: ids.member }).expect(201);
  ids.payment = (await request(server).post('/payments/request/').set(auth(tokens.member)).set('Idempotency-Key', randomUUID()).send({ plan: 'monthly', method_id: ids.method }).expect(201)).body.payment_id;
  await sentinels();

  doc = (await request(server).get('/openapi.json').expect(200)).body;
  ops = readOperations();
  for (const op of ops) await chooseToken(op);
  signups.ok = 0; // the baseline ran before the fingerprint
  before = await fingerprint();
}, 60_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await ctx?.close();
});

function report(list: Outcome[]): string {
  return list
    .filter((o) => o.problems.length)
    .slice(0, 40)
    .map((o) => `${o.op} ${o.input} = ${JSON.stringify(o.payload)} → ${o.status}: ${o.problems.join('; ')}`)
    .join('\n');
}

describe('payloads into every input of every endpoint', () => {
  it('has checks that can fail (a leak, a reflection, a slow request, a 5xx are all caught)', () => {
    const op = { method: 'get', path: '/x/', params: [], secured: false } as Operation;
    const c = (value: string): Call => ({ op, input: 'query:q', payload: { kind: 'xss', value }, path: {}, query: {} });
    const res = (status: number, type: string, text: string, nosniff = true) => ({ status, text, headers: { 'content-type': type, ...(nosniff ? { 'x-content-type-options': 'nosniff' } : {}) } }) as unknown as request.Response;
    expect(check(c(`'`), res(400, 'application/json', `{"message":"ER_PARSE_ERROR: You have an error in your SQL syntax"}`), 5)).toHaveLength(2);
    expect(check(c(`'`), res(400, 'application/json', `{"message":"QueryFailedError\n    at Query.onResult (/app/src/x.ts:248:33)"}`), 5).length).toBeGreaterThan(0);
    expect(check(c('<svg/onload=alert(1)>'), res(200, 'text/html; charset=utf-8', '<p><svg/onload=alert(1)></p>'), 5)).toContain('payload reflected unescaped in HTML');
    expect(check(c('<svg/onload=alert(1)>'), res(200, 'text/html; charset=utf-8', '<p>&lt;svg/onload=alert(1)&gt;</p>'), 5)).toEqual([]);
    expect(check(c('<svg/onload=alert(1)>'), res(400, 'application/json', '{"q":["<svg/onload=alert(1)>"]}', false), 5)).toEqual(['payload echoed without nosniff']);
    expect(check(c(`' OR SLEEP(${SLEEP_SECONDS}) --`), res(200, 'application/json', '{}'), SLEEP_SECONDS * 1000)).toHaveLength(1);
    expect(check(c('x'), res(502, 'application/json', '{}'), 5)).toEqual(['status 502']);
    // a payload quoted back in a validation message is not a leak by itself
    expect(check(c(`' UNION SELECT sqlite_version() --`), res(400, 'application/json', `{"q":["\"' UNION SELECT sqlite_version() --\"은/는 유효하지 않습니다."]}`), 5)).toEqual([]);
  });

  it('reads the operations from /openapi.json', () => {
    expect(ops.length).toBeGreaterThanOrEqual(90);
    expect(SQLI.length).toBeGreaterThanOrEqual(50);
    expect(XSS.length).toBeGreaterThanOrEqual(50);
    // the operations this file knows to be there (a broken discovery would fuzz nothing)
    const keys = ops.map(opKey);
    for (const k of ['POST /user/login/', 'GET /search/movie/{words}/', 'PUT /movie/genre/{genre_num}/', 'POST /payments/request/', 'POST /contents/']) expect(keys).toContain(k);
  });

  // first: later tests store payloads as names, which a search then rightly finds
  it('does not widen a search with a tautology', async () => {
    for (const p of SQLI.filter((s) => /OR\s*\(?\s*['"]?\w*['"]?\s*=|OR 1=1|\|\|/i.test(s))) {
      const m = await request(server).get('/manufacturers/').set(auth(tokens.admin)).query({ search: p }).expect(200);
      expect([p, m.body.count]).toEqual([p, 0]);
      const c = await request(server).get('/customers/').set(auth(tokens.admin)).query({ search: p }).expect(200);
      expect([p, c.body.count]).toEqual([p, 0]);
    }
    // and the same endpoints do find by a plain word (the assertion above can fail)
    expect((await request(server).get('/manufacturers/').set(auth(tokens.admin)).query({ search: 'marquee' }).expect(200)).body.count).toBeGreaterThan(0);
    expect((await request(server).get('/customers/').set(auth(tokens.admin)).query({ search: String(ids.memberUsername) }).expect(200)).body.count).toBeGreaterThan(0);
  });

  it('answers every payload in every path, query and body input without a 5xx, SQL text, stack trace or HTML reflection', async () => {
    const calls: Call[] = [];
    let field = 0;
    for (const op of ops) {
      for (const input of inputsOf(op)) calls.push(...fuzzCalls(op, input, sampleFor(field++, PER_KIND)));
    }
    await pool(calls, CONCURRENCY, run);
    const fuzzed = outcomes.filter((o) => o.payload !== '(valid)');
    expect(fuzzed.length).toBeGreaterThan(1000);
    expect(report(outcomes)).toBe('');
    // every operation with inputs had each of them fuzzed
    for (const op of ops) {
      const names = inputsOf(op).map((i) => i.name);
      expect([opKey(op), [...(coverage.get(opKey(op)) ?? [])].sort()]).toEqual([opKey(op), names.sort()]);
    }
    // the suite reached the services, not only the validators: some payload requests succeeded
    expect(fuzzed.filter((o) => o.status < 300).length).toBeGreaterThan(50);
  }, 240_000);

  it('sends the whole list through a representative set of inputs', async () => {
    const find = (k: string) => {
      const op = ops.find((o) => opKey(o) === k);
      if (!op) throw new Error(`no operation ${k}`);
      return op;
    };
    const reps: [string, string][] = [
      ['GET /search/movie/', 'query:words'],
      ['GET /search/movie/{words}/', 'path:words'],
      ['GET /search/cinema/', 'query:words'],
      ['GET /movie/{movie_id}/', 'path:movie_id'],
      ['GET /manufacturers/', 'query:search'],
      ['GET /customers/', 'query:search'],
      ['POST /user/login/', 'body:username'],
      ['POST /user/signup/', 'body:username'],
      ['PUT /manufacturers/{manufacturer_id}/', 'body:partnership_notes'],
      ['GET /movie/rating/page/', 'query:movie'],
    ];
    const calls: Call[] = [];
    for (const [k, name] of reps) {
      const op = find(k);
      const input = inputsOf(op).find((i) => i.name === name);
      if (!input) throw new Error(`no input ${name} of ${k}`);
      calls.push(...fuzzCalls(op, input, ALL_PAYLOADS));
    }
    const start = outcomes.length;
    await pool(calls, CONCURRENCY, run);
    expect(outcomes.length - start).toBe(reps.length * ALL_PAYLOADS.length);
    expect(report(outcomes.slice(start))).toBe('');
  }, 120_000);

  it('stores text payloads as plain text: what was written reads back exactly', async () => {
    const mismatches: string[] = [];
    // a manufacturer's notes (≤ 10,000 characters): PUT, then GET (one at a time: read what was written)
    for (const p of ALL_PAYLOADS) {
      await request(server).put(`/manufacturers/${ids.manufacturer}/`).set(auth(tokens.admin)).send({ name: 'marquee 제작사', partnership_notes: p.value }).expect(200);
      const got = await request(server).get(`/manufacturers/${ids.manufacturer}/`).set(auth(tokens.admin)).expect(200);
      if (got.body.partnership_notes !== p.value) mismatches.push(`notes ${JSON.stringify(p.value)} read back as ${JSON.stringify(got.body.partnership_notes)}`);
      expect(String(got.headers['content-type'])).toMatch(/application\/json/);
    }
    // genre names (≤ 50 characters), created through the API and listed back
    for (const p of ALL_PAYLOADS.filter((x) => x.value.length <= 50)) {
      const res = await request(server).post('/movie/genre/').set(auth(tokens.admin)).send({ name: p.value });
      if (res.status === 201) {
        if (res.body.name !== p.value) mismatches.push(`genre ${JSON.stringify(p.value)} created as ${JSON.stringify(res.body.name)}`);
        const row = (await ctx.rt.ds.query('SELECT name FROM genres WHERE id = ?', [res.body.id])) as { name: string }[];
        if (row[0]?.name !== p.value) mismatches.push(`genre ${JSON.stringify(p.value)} stored as ${JSON.stringify(row[0]?.name)}`);
      } else if (res.status !== 400) {
        mismatches.push(`genre ${JSON.stringify(p.value)} → ${res.status}`);
      }
    }
    // a rating comment (≤ 1,000)
    for (const p of ALL_PAYLOADS.slice(0, 40)) {
      await request(server).patch(`/movie/rating/${ids.movieRating}/`).set(auth(tokens.member)).send({ movie: ids.movie, score: 4, comment: p.value }).expect(200);
      const row = (await ctx.rt.ds.query('SELECT comment FROM movie_ratings WHERE id = ?', [ids.movieRating])) as { comment: string }[];
      if (row[0]?.comment !== p.value) mismatches.push(`comment ${JSON.stringify(p.value)} stored as ${JSON.stringify(row[0]?.comment)}`);
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('changed no data through a payload', async () => {
    const after = await fingerprint();
    expect(after.tables).toEqual(before.tables);
    expect(after.schema).toBe(before.schema);
    for (const t of ['users', 'movies', 'genres', 'payments']) expect(Object.keys(before.rows)).toContain(t);
    // no table lost a row
    const shrunk = before.tables.filter((t) => after.counts[t] < before.counts[t]).map((t) => `${t}: ${before.counts[t]} → ${after.counts[t]}`);
    expect(shrunk).toEqual([]);
    // users: exactly the sign-ups that succeeded; no new staff; the staff rows are the same
    expect(after.counts.users).toBe(before.counts.users + signups.ok);
    expect(after.staff).toEqual(before.staff);
    // the rows no request addressed are byte-identical (every column, password hashes included)
    const changed: string[] = [];
    for (const [table, rowIds] of Object.entries({ ...sentinel, plans: [...before.rows.plans.keys()].map(Number) })) {
      expect([table, rowIds.length]).toEqual([table, expect.any(Number)]);
      for (const id of rowIds) {
        const b = before.rows[table]?.get(String(id));
        expect([table, id, b !== undefined]).toEqual([table, id, true]);
        if (after.rows[table]?.get(String(id)) !== b) changed.push(`${table}#${id}`);
      }
    }
    expect(changed).toEqual([]);
    // and every other row that existed before still exists
    const gone: string[] = [];
    for (const [table, rows] of Object.entries(before.rows)) for (const id of rows.keys()) if (!after.rows[table].has(id)) gone.push(`${table}#${id}`);
    expect(gone).toEqual([]);
  });

  it('has a fingerprint that sees a change (a row edited behind the API is reported)', async () => {
    const genreId = sentinel.genres[0];
    const snap = await fingerprint();
    await ctx.rt.ds.query(`UPDATE genres SET name = CONCAT(name, '!') WHERE id = ?`, [genreId]);
    const edited = await fingerprint();
    expect(edited.rows.genres.get(String(genreId))).not.toBe(snap.rows.genres.get(String(genreId)));
    await ctx.rt.ds.query(`UPDATE genres SET name = LEFT(name, CHAR_LENGTH(name) - 1) WHERE id = ?`, [genreId]);
    expect((await fingerprint()).rows.genres.get(String(genreId))).toBe(snap.rows.genres.get(String(genreId)));
  });
});

afterAll(() => {
  const fuzzed = outcomes.filter((o) => o.payload !== '(valid)');
  const fields = [...coverage.values()].reduce((n, s) => n + s.size, 0);
  // a one-line summary for the log
  process.stdout.write(`security suite: ${ops.length} operations, ${fields} inputs, ${fuzzed.length} payload requests, ${new Set(fuzzed.map((o) => o.payload)).size} distinct payloads\n`);
});
