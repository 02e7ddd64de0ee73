// The full-mode topology on one machine, with real components on free loopback ports and a
// throw-away folder: nginx in front of N API processes, M BullMQ workers, a Redis of its own, and
// a MariaDB primary + replica (GTID replication). `npm run cluster` runs it until Ctrl-C;
// `npm run test:cluster` drives it (test/cluster/). Nothing here touches the machine's own MariaDB
// or Redis.
//
// nginx (open source) has passive health checks only (max_fails); the active ones are done here:
// every second each API's /readyz is polled and an unready one is marked `down` in the upstream
// (config rewritten, nginx reloaded). Idempotent requests that fail on one upstream are retried on
// the other (proxy_next_upstream); a POST is never retried by nginx: the client repeats it with its
// Idempotency-Key.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export interface ClusterOptions {
  apis?: number;
  workers?: number;
  /** Extra environment for the API and worker processes. */
  env?: Record<string, string>;
  log?: (line: string) => void;
  /** Keep the folder after stop (logs). */
  keep?: boolean;
}

export interface Proc {
  name: string;
  child: ChildProcess;
  port?: number;
  exited: Promise<number | null>;
}

function which(cmd: string, fallbacks: string[] = []): string {
  for (const p of [...(process.env.PATH ?? '').split(':').map((d) => path.join(d, cmd)), ...fallbacks]) {
    if (existsSync(p)) return p;
  }
  throw new Error(`${cmd} not found: install it (apt-get install ${cmd === 'nginx' ? 'nginx' : cmd === 'redis-server' ? 'redis-server' : 'mariadb-server'})`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, proc?: Proc): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${what}: ${proc.name} exited with ${proc.child.exitCode}`);
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  throw new Error(`${what}: not ready after ${timeoutMs} ms`);
}

export class Cluster {
  readonly dir: string;
  readonly procs: Proc[] = [];
  readonly ports: { nginx: number; primary: number; replica: number; redis: number; apis: number[] } = { nginx: 0, primary: 0, replica: 0, redis: 0, apis: [] };
  readonly adminEmail = 'admin@cluster.local';
  readonly adminPassword = `Cl-${randomBytes(9).toString('base64url')}9a`;
  readonly dbPassword = randomBytes(12).toString('hex');
  readonly redisPrefix = 'marquee';
  private readonly log: (line: string) => void;
  private health: NodeJS.Timeout | null = null;
  private down = new Set<number>();
  private stopped = false;
  private nginxBin = '';
  private env: Record<string, string> = {};
  workers: Proc[] = [];
  apis: Proc[] = [];
  nginx: Proc | null = null;

  constructor(private readonly opts: ClusterOptions = {}) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), 'marquee-cluster-'));
    this.log = opts.log ?? ((l) => process.stdout.write(`[cluster] ${l}\n`));
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.ports.nginx}`;
  }
  get primaryUrl(): string {
    return `mariadb://marquee:${this.dbPassword}@127.0.0.1:${this.ports.primary}/marquee`;
  }
  get replicaUrl(): string {
    return `mariadb://marquee:${this.dbPassword}@127.0.0.1:${this.ports.replica}/marquee`;
  }
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.ports.redis}`;
  }
  apiUrl(i: number): string {
    return `http://127.0.0.1:${this.ports.apis[i]}`;
  }

  private spawn(name: string, cmd: string, args: string[], env: Record<string, string> = {}, port?: number): Proc {
    const out = createWriteStream(path.join(this.dir, `${name}.log`), { flags: 'a' });
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout!.pipe(out);
    child.stderr!.pipe(out);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    const proc: Proc = { name, child, port, exited };
    this.procs.push(proc);
    return proc;
  }

  /** mariadb CLI over the instance's socket (root, unix_socket auth). */
  sql(which: 'primary' | 'replica', statement: string): string {
    const r = spawnSync('mariadb', ['--no-defaults', `--socket=${path.join(this.dir, which, 'sock')}`, '-uroot', '-N', '-B', '-e', statement], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mariadb ${which}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async start(): Promise<void> {
    const t0 = Date.now();
    const apis = this.opts.apis ?? 2;
    const workers = this.opts.workers ?? 2;
    this.nginxBin = which('nginx', ['/usr/sbin/nginx']);
    const mariadbd = which('mariadbd', ['/usr/sbin/mariadbd']);
    const redisServer = which('redis-server', ['/usr/bin/redis-server']);
    this.ports.primary = await freePort();
    this.ports.replica = await freePort();
    this.ports.redis = await freePort();
    this.ports.nginx = await freePort();
    for (let i = 0; i < apis; i++) this.ports.apis.push(await freePort());
    this.log(`folder ${this.dir}`);

    // MariaDB: one fresh data folder, copied for the replica (both start from the same empty state).
    const primaryDir = path.join(this.dir, 'primary');
    const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${path.join(primaryDir, 'data')}`, '--auth-root-authentication-method=socket', '--skip-test-db', ...(process.getuid?.() === 0 ? ['--user=root'] : [])], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`mariadb-install-db: ${install.stderr}`);
    cpSync(primaryDir, path.join(this.dir, 'replica'), { recursive: true });
    const mariadb = (name: 'primary' | 'replica', serverId: number, port: number) => {
      const d = path.join(this.dir, name);
      return this.spawn(name, mariadbd, [
        '--no-defaults', `--datadir=${path.join(d, 'data')}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${path.join(d, 'sock')}`,
        `--pid-file=${path.join(d, 'pid')}`, `--server-id=${serverId}`, '--log-bin=binlog', '--binlog-format=ROW', '--log-slave-updates',
        '--gtid-strict-mode=1', '--skip-name-resolve', '--innodb-buffer-pool-size=64M', '--innodb-log-file-size=16M',
        // Throw-away data: no fsync per commit (the production settings are in docs/operations-scaling.md).
        '--innodb-flush-log-at-trx-commit=2', '--sync-binlog=0', '--max-connections=300',
        ...(name === 'replica' ? ['--read-only=1'] : []),
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ], {}, port);
    };
    const primary = mariadb('primary', 1, this.ports.primary);
    const replica = mariadb('replica', 2, this.ports.replica);
    const redis = this.spawn('redis', redisServer, ['--port', String(this.ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {}, this.ports.redis);
    await Promise.all([
      waitFor('MariaDB primary', () => (this.sql('primary', 'SELECT 1'), true), 60_000, primary),
      waitFor('MariaDB replica', () => (this.sql('replica', 'SELECT 1'), true), 60_000, replica),
      waitFor('Redis', () => spawnSync('redis-cli', ['-p', String(this.ports.redis), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', 30_000, redis),
    ]);
    // Replication first (the primary's binlog starts empty, so the replica replays everything after).
    this.sql('replica', `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${this.ports.primary}, MASTER_USER='repl', MASTER_PASSWORD='${this.dbPassword}', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;`);
    this.sql('primary', [
      `CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '${this.dbPassword}'`,
      `GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'`,
      'CREATE DATABASE marquee CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
      `CREATE USER 'marquee'@'127.0.0.1' IDENTIFIED BY '${this.dbPassword}'`,
      `GRANT ALL ON marquee.* TO 'marquee'@'127.0.0.1'`,
    ].join(';'));
    await waitFor('replication', () => this.sql('replica', "SELECT COUNT(*) FROM mysql.user WHERE user = 'marquee'").trim() === '1', 30_000);
    this.log(`MariaDB primary :${this.ports.primary} → replica :${this.ports.replica} (GTID), Redis :${this.ports.redis} (${Date.now() - t0} ms)`);

    this.env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: this.primaryUrl,
      DATABASE_REPLICA_URL: this.replicaUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.redisPrefix,
      JWT_SECRET: randomBytes(24).toString('hex'),
      SESSION_SECRET: randomBytes(24).toString('hex'),
      TRUST_PROXY: 'true',
      DATA_DIR: path.join(this.dir, 'data'),
      MEDIA_DIR: path.join(this.dir, 'media'),
      UPLOAD_DIR: path.join(this.dir, 'uploads'),
      HOST: '127.0.0.1',
      PUBLIC_URL: this.baseUrl,
      ...this.opts.env,
    };
    // Migrations and the first admin once, before any API starts (no start-up race between them).
    await this.runOnce('migrate', ['src/db/migrate-cli.ts']);
    await this.runOnce('admin-create', ['admin/create-admin-cli.ts', '--email', this.adminEmail, '--password', this.adminPassword]);

    for (let i = 0; i < apis; i++) this.apis.push(this.startApi(i));
    for (let i = 0; i < workers; i++) this.workers.push(this.startWorker(i));
    await Promise.all(this.apis.map((p, i) => waitFor(`API ${i + 1}`, async () => (await fetch(`${this.apiUrl(i)}/readyz`)).ok, 120_000, p)));
    this.writeNginxConf();
    this.nginx = this.spawn('nginx', this.nginxBin, ['-p', this.dir, '-c', path.join(this.dir, 'nginx.conf'), '-e', path.join(this.dir, 'nginx-error.log')]);
    await waitFor('nginx', async () => (await fetch(`${this.baseUrl}/readyz`)).ok, 30_000, this.nginx);
    this.health = setInterval(() => void this.checkHealth(), 1000);
    this.log(`nginx ${this.baseUrl} → APIs ${this.ports.apis.map((p) => `:${p}`).join(', ')}; ${workers} workers (${Date.now() - t0} ms)`);
  }

  private async runOnce(name: string, args: string[]): Promise<void> {
    const p = this.spawn(name, process.execPath, ['--import', 'tsx', ...args], this.env);
    const code = await p.exited;
    if (code !== 0) throw new Error(`${name} failed (exit ${code}); see ${path.join(this.dir, `${name}.log`)}`);
  }

  /** A staff account (admin:create against the cluster's database). */
  async createStaff(email: string, password: string, role: 'admin' | 'catalog' | 'finance' | 'support'): Promise<void> {
    await this.runOnce(`staff-${role}`, ['admin/create-admin-cli.ts', '--email', email, '--password', password, '--role', role]);
  }

  startApi(i: number): Proc {
    return this.spawn(`api${i + 1}`, process.execPath, ['--import', 'tsx', 'src/main.ts'], { ...this.env, PORT: String(this.ports.apis[i]) }, this.ports.apis[i]);
  }

  startWorker(i: number): Proc {
    return this.spawn(`worker${i + 1}`, process.execPath, ['--import', 'tsx', 'jobs/worker.ts'], this.env);
  }

  private writeNginxConf(): void {
    for (const d of ['nginx-tmp', 'logs']) mkdirSync(path.join(this.dir, d), { recursive: true });
    const tmp = path.join(this.dir, 'nginx-tmp');
    const servers = this.ports.apis.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s${this.down.has(p) ? ' down' : ''};`).join('\n');
    writeFileSync(path.join(this.dir, 'nginx.conf'), `# generated by scripts/cluster.ts
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
daemon off;
pid ${path.join(this.dir, 'nginx.pid')};
error_log ${path.join(this.dir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  client_max_body_size 0;
  upstream marquee_api {
${servers}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${this.ports.nginx};
    location / {
      proxy_pass http://marquee_api;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      # nginx is the edge: the client's address replaces whatever the client claimed (TRUST_PROXY=true).
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      # Idempotent methods (GET, HEAD, PUT, DELETE…) move to the next upstream on a dead or failing one;
      # POST and PATCH are not retried by nginx (no non_idempotent): the client repeats them with its Idempotency-Key.
      proxy_next_upstream error timeout http_502 http_503 http_504;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
      proxy_request_buffering off;
      # Which API process answered (the cluster test counts them).
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`);
  }

  /** The active health check: /readyz of each API; the upstream marks an unready one down. */
  private async checkHealth(): Promise<void> {
    if (this.stopped || !this.nginx) return;
    const down = new Set<number>();
    await Promise.all(this.ports.apis.map(async (port) => {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (!r.ok) down.add(port);
      } catch {
        down.add(port);
      }
    }));
    // Never mark every server down: nginx would answer 502 to all; passive checks still apply.
    if (down.size === this.ports.apis.length) return;
    const same = down.size === this.down.size && [...down].every((p) => this.down.has(p));
    if (same || this.stopped) return;
    this.down = down;
    this.writeNginxConf();
    this.nginx.child.kill('SIGHUP');
    this.log(`health: upstream ${this.ports.apis.map((p) => `:${p}${down.has(p) ? ' down' : ' up'}`).join(', ')}`);
  }

  /** Upstreams currently marked down by the health check. */
  downPorts(): number[] {
    return [...this.down];
  }

  kill(proc: Proc, signal: NodeJS.Signals = 'SIGKILL'): void {
    if (proc.child.exitCode === null && proc.child.pid) {
      try {
        process.kill(-proc.child.pid, signal);
      } catch {
        /* gone */
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.health) clearInterval(this.health);
    const alive = this.procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    // Front to back: nginx, APIs and workers, then Redis and MariaDB.
    const order = [alive.filter((p) => p.name === 'nginx'), alive.filter((p) => /^(api|worker)/.test(p.name)), alive.filter((p) => !/^(nginx|api|worker)/.test(p.name))];
    for (const group of order) {
      for (const p of group) this.kill(p, 'SIGTERM');
      await Promise.race([Promise.all(group.map((p) => p.exited)), sleep(15_000)]);
      for (const p of group) this.kill(p, 'SIGKILL');
    }
    if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true });
    this.log(this.opts.keep ? `stopped; logs kept in ${this.dir}` : 'stopped');
  }

  /** Kills every child at once, synchronously (process exit path). */
  killAllNow(): void {
    for (const p of this.procs) this.kill(p, 'SIGKILL');
    if (!this.opts.keep) rmSync(this.dir, { recursive: true, force: true });
  }
}
