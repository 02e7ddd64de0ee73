// `npm start` on a fresh install, as a newcomer runs it: its own empty data folder, no DATABASE_URL
// or REDIS_URL (embedded), no shared data anywhere (SHARED_DATA_DIR points nowhere). The first
// answer already has the demo catalog, cinemas and today's showtimes; the start banner gives the
// URLs and the first admin's credentials, which log in to the panel once it has loaded.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let child: ChildProcess;
let dataDir: string;
const lines: Array<Record<string, unknown>> = [];
let base = '';

function waitFor<T>(what: string, check: () => T | undefined | null | false, ms = 150_000): Promise<T> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = check();
      if (v) return resolve(v);
      if (child.exitCode !== null) return reject(new Error(`npm start exited (${child.exitCode}) before ${what}:\n${JSON.stringify(lines.slice(-5))}`));
      if (Date.now() > until) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 100);
    };
    tick();
  });
}
const logged = (prefix: string) => lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith(prefix));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-start-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: 'auto', NODE_ENV: 'development', SHARED_DATA_DIR: '/nonexistent' };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'SQLITE_FILE', 'DEMO', 'PUBLIC_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'DEMO_DATA_DIR']) delete env[k];
  child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ raw: line });
      }
    }
  });
  const up = await waitFor('the start banner', () => logged('Marquee is up'));
  base = String(up.url).replace('localhost', '127.0.0.1');
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on a fresh install', () => {
  it('logs JSON lines when stdout is not a terminal, and a banner with the URLs and the first admin', () => {
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.every((l) => !('raw' in l))).toBe(true);
    const banner = String(logged('Marquee is up')!.msg);
    for (const part of [`${base.replace('127.0.0.1', 'localhost')}/admin`, '/swagger/', '/healthz', 'first admin: admin@marquee.local / ']) expect(banner).toContain(part);
    expect(logged('demo catalog loaded: 57 movies, 29 genres, 47 people')).toBeTruthy();
    expect(logged('demo cinemas loaded: 12 cinemas, 314 showtimes today')).toBeTruthy();
  });

  it('serves the home page and the demo catalog and cinemas from the first answer', async () => {
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('href="/admin"');
    const movie = await fetch(`${base}/movie/85579/`);
    expect(await movie.json()).toEqual(expect.objectContaining({ id: 85579, name: '신과함께-죄와 벌', poster: '', genres: expect.arrayContaining(['판타지']) }));
    const genres = (await (await fetch(`${base}/movie/genre/`)).json()) as { count: number };
    expect(genres.count).toBe(29);
    const cinemas = (await (await fetch(`${base}/search/cinema/${encodeURIComponent('강남')}/`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(cinemas)).toContain('CGV강남');
    // The movie search, whose terms the started process holds in its search thread (the transpiled terms-thread.js).
    const found = (await (await fetch(`${base}/search/movie/${encodeURIComponent('신과 함께')}/`)).json()) as { search_result: Array<{ id: number }> };
    expect(found.search_result.map((m) => m.id)).toContain(85579);
  });

  it('takes the first admin’s password at the panel, which then asks them to enrol a second factor', async () => {
    const password = /first admin: admin@marquee\.local \/ (\S+)/.exec(String(logged('Marquee is up')!.msg))![1]!;
    const login = await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: new URLSearchParams({ email: 'admin@marquee.local', password }), redirect: 'manual' });
    expect(login.status).toBe(302);
    // Admins need a second factor (STAFF_MFA_ROLES): the right password leads to the enrolment page.
    expect(login.headers.get('location')).toBe('/admin/login/totp');
    await waitFor('admin panel ready', () => logged('admin panel ready'));
  }, 180_000);
});
