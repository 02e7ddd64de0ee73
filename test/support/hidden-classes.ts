// Run with `node --allow-natives-syntax --import tsx` (test/unit/hidden-classes.test.ts): whether
// objects made for every request keep one hidden class (V8 map) from request to request. Prints
// one JSON object.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { cachedUserLookup, createAuthenticator, createTokenIssuer, TokenUserCache, type AuthUser } from '../../src/http/auth.js';
import { listenWithAppServer } from '../../src/http/server.js';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** Two requests in flight at once, both held in the handler: their request and response objects compared there. */
async function requestShapes(appServer: boolean): Promise<{ requests: boolean; responses: boolean }> {
  const app = express();
  if (appServer) listenWithAppServer(app);
  const held: Array<{ req: object; res: http.ServerResponse }> = [];
  let pair: ((v: { requests: boolean; responses: boolean }) => void) | null = null;
  app.get('/', (req, res) => {
    if (!pair) return void res.end('x');
    held.push({ req, res });
    if (held.length < 2) return;
    const [a, b] = held as [{ req: object; res: http.ServerResponse }, { req: object; res: http.ServerResponse }];
    pair({ requests: sameMap(a.req, b.req), responses: sameMap(a.res, b.res) });
    for (const h of held) h.res.end('x');
  });
  const server: http.Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const get = () => new Promise<void>((resolve, reject) => http.get(url, (res) => res.resume().on('end', resolve)).on('error', reject));
  // Past V8's slack tracking of the first objects of a kind.
  for (let i = 0; i < 30; i++) await get();
  const shapes = new Promise<{ requests: boolean; responses: boolean }>((resolve) => (pair = resolve));
  await Promise.all([get(), get()]);
  const out = await shapes;
  server.close();
  return out;
}

/** The users two signed-in requests get (their tokens known: the path every request after the first takes). */
async function userShapes(): Promise<boolean> {
  const secret = 'hidden-classes-secret-0123456789';
  const lookup = async (id: number): Promise<AuthUser> => ({ id, username: `member${id}`, email: `member${id}@example.com`, role: 'user' });
  const auth = createAuthenticator(secret, cachedUserLookup(new TokenUserCache({ ttlMs: 60_000, maxEntries: 100 }), lookup));
  const issuer = createTokenIssuer(secret, 3600);
  const userOf = (token: string) =>
    new Promise<object>((resolve, reject) => {
      const req = { headers: { authorization: `JWT ${token}` } } as unknown as express.Request;
      auth.optional(req, {} as express.Response, (err?: unknown) => (err ? reject(err) : resolve(req.user as object)));
    });
  const tokens = [1, 2].map((id) => issuer.issue({ id, username: `member${id}`, email: `member${id}@example.com`, role: 'user' }, 0));
  const users: object[] = [];
  for (let round = 0; round < 20; round++) for (const t of tokens) users.push(await userOf(t));
  const [a, b] = users.slice(-2) as [object, object];
  return sameMap(a, b) && sameMap(users[users.length - 3]!, a);
}

const [ours, plain] = [await requestShapes(true), await requestShapes(false)];
console.log(JSON.stringify({ appServer: ours, defaultServer: plain, users: await userShapes() }));
