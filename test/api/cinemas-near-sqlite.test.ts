// The 2 km great-circle search on the embedded SQLite database (`npm start` with nothing
// configured, no Redis): `GET cinema/map/center/` and `GET search/` near_cinema over the cinemas
// the process keeps (written through the service, as the panel writes them) — 1.9 km in, 2.1 km
// out, nearest first, distances rounded to the metre.
import request from 'supertest';
import type { Express } from 'express';
import { Cinema } from '../../src/modules/cinemas/cinema.entities.js';
import { saveCinema } from '../support/cinemas.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
let token: string;
/** Metres per degree of latitude on the haversine sphere (R = 6,371 km). */
const M_PER_DEG = (6_371_000 * Math.PI) / 180;
const repo = () => ctx.rt.ds.getRepository(Cinema);
const cinema = (over: Partial<Cinema>) => saveCinema(ctx.rt, { region: '서울', area: '중구', name: uniqueName('극장'), address: '서울', x: 126.9, y: 37.5, type: '기타', img: null, ...over });

beforeAll(async () => {
  ctx = await createTestApp({ dialect: 'sqlite', redis: false });
  expect(ctx.rt.ds.options.type).toBe('better-sqlite3');
  token = (await signupAndLogin(ctx.app)).token;
});
afterAll(async () => {
  await ctx?.close();
});

it('GET cinema/map/center/: 1.9 km in, 2.1 km out, nearest first, on SQLite', async () => {
  const p = { x: 126.978, y: 37.5665 };
  const perLng = M_PER_DEG * Math.cos((p.y * Math.PI) / 180);
  const north19 = await cinema({ name: '북쪽 1.9km', x: p.x, y: p.y + 1900 / M_PER_DEG });
  await cinema({ name: '동쪽 2.1km', x: p.x + 2100 / perLng, y: p.y });
  await cinema({ name: '남쪽 2.1km', x: p.x, y: p.y - 2100 / M_PER_DEG });
  // Inside the bounding-box prefilter but outside the circle: 1.5 km north and 1.5 km west ≈ 2.12 km.
  await cinema({ name: '북서 2.12km', x: p.x - 1500 / perLng, y: p.y + 1500 / M_PER_DEG });
  const west05 = await cinema({ name: '서쪽 0.5km', x: p.x - 500 / perLng, y: p.y });
  const res = await request(ctx.app).get('/cinema/map/center/').query({ x: String(p.x), y: String(p.y) });
  expect(res.status).toBe(200);
  expect(res.body.meta).toEqual({ total: 2 });
  expect(res.body.documents.map((d: { id: number }) => d.id)).toEqual([west05.id, north19.id]);
  expect(res.body.documents.map((d: { distance: number }) => d.distance)).toEqual([500, 1900]);
  expect(res.body.documents[1]).toEqual(expect.objectContaining({ name: '북쪽 1.9km', x: String(north19.x), y: String(north19.y) }));
});

it('GET search/ near_cinema: 1.9 km in, 2.1 km out, nearest first, on SQLite', async () => {
  const p = { x: 129.0756, y: 35.1796 };
  const perLng = M_PER_DEG * Math.cos((p.y * Math.PI) / 180);
  const south19 = await cinema({ name: '남쪽 1.9km', x: p.x, y: p.y - 1900 / M_PER_DEG });
  await cinema({ name: '북쪽 2.1km', x: p.x, y: p.y + 2100 / M_PER_DEG });
  await cinema({ name: '서쪽 2.1km', x: p.x - 2100 / perLng, y: p.y });
  await cinema({ name: '북동 2.12km', x: p.x + 1500 / perLng, y: p.y + 1500 / M_PER_DEG });
  const east03 = await cinema({ name: '동쪽 0.3km', x: p.x + 300 / perLng, y: p.y, tel: '051-123-4567', url: 'https://example.com/c' });
  const res = await request(ctx.app).get('/search/').query({ x: String(p.x), y: String(p.y) }).set({ Authorization: `JWT ${token}` });
  expect(res.status).toBe(200);
  expect(res.body.meta.near_cinema).toBe(2);
  expect(res.body.near_cinema).toEqual([
    { id: east03.id, name: '동쪽 0.3km', type: '기타', img: null, address: '서울', tel: '051-123-4567', x: String(east03.x), y: String(east03.y), url: 'https://example.com/c', distance: 300 },
    expect.objectContaining({ id: south19.id, name: '남쪽 1.9km', distance: 1900 }),
  ]);
  // Far from every cinema: none.
  const empty = await request(ctx.app).get('/search/').query({ x: '127.5', y: '36.0' }).set({ Authorization: `JWT ${token}` });
  expect(empty.body.near_cinema).toEqual([]);
});
