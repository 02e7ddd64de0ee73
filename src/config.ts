// The only reader of process.env. Everything the processes need from the environment is
// parsed and typed here; an invalid value stops the process with one line naming the variable.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';
import { passwordProblem } from './modules/users/password-rule.js';
import { STAFF_ROLES, type Role } from './modules/users/roles.js';

export type DbConfig =
  | { type: 'mysql'; url: string; /** A read replica of `url` (TypeORM replication); API processes send plain reads there. */ replicaUrl?: string }
  | { type: 'sqlite'; file: string };

/** Where content files are stored: a local directory, or an S3-compatible bucket. */
export type StorageConfig =
  | { type: 'local' }
  | {
      type: 's3';
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Public base URL used for absolute links (pagination, verification URLs). Empty → from request. */
  publicUrl: string;
  db: DbConfig;
  /** Reads on the replica (with DATABASE_REPLICA_URL): lag past maxLagSeconds → reads on the primary; a credential's reads stay on the primary readYourWritesSeconds after its write. */
  replication: { maxLagSeconds: number; readYourWritesSeconds: number };
  /** Redis URL, or null for the embedded mode (in-process jobs, DB-backed sessions, memory limits). */
  redisUrl: string | null;
  /** Prefix of every Redis key this process writes (BullMQ queues, sessions, rate limits). */
  redisPrefix: string;
  jwtSecret: string;
  jwtExpiresInSeconds: number;
  sessionSecret: string;
  adminEmail: string | null;
  adminPassword: string | null;
  dataDir: string;
  corsOrigins: string[];
  logLevel: string;
  /** LOG_FORMAT: json lines, pretty lines, or auto (pretty when stdout is a terminal). */
  logFormat: 'auto' | 'json' | 'pretty';
  bodyLimit: string;
  trustProxy: boolean;
  loginRate: { points: number; durationSeconds: number; blockSeconds: number };
  /**
   * The staff's second factor (TOTP): the roles that must use it to enter the panel
   * (STAFF_MFA_ROLES, default admin,finance; empty = none — optional for every role), and the
   * key the TOTP secrets are encrypted with (MFA_SECRET_KEY, default derived from JWT_SECRET).
   */
  staffMfa: { requiredRoles: Role[]; secretKey: string; issuer: string };
  /** Sign-up attempts per client address (POST user/signup/ answers whether a username exists). */
  signupRate: { points: number; durationSeconds: number; blockSeconds: number };
  /** Taste onboarding lists movies released in or after this year (seed: 2015). */
  onboardingMinYear: number;
  /** Uploads are staged in `<uploadDir>/tmp`; local storage keeps objects in `<uploadDir>/objects`. */
  uploadDir: string;
  /** Largest accepted content upload, in bytes. */
  maxUploadBytes: number;
  storage: StorageConfig;
  /** Public media (profile images), served under /media; share it between API replicas. */
  mediaDir: string;
  /** Largest accepted profile image, in bytes. */
  profileImageMaxBytes: number;
  /** Largest accepted movie poster upload (the panel), in bytes. */
  posterMaxBytes: number;
  /** The service's local calendar (today's showtimes, the 3-day booking window, coming soon): an IANA zone. */
  serviceTimeZone: string;
  /** Largest side (degrees of longitude or latitude) of a cinema map box. */
  mapMaxBoxDegrees: number;
  /** The movie search's in-process result cache: entries live at most ttlMs (0: off), at most maxEntries kept. */
  searchCache: { ttlMs: number; maxEntries: number };
  /** Where the movie search's terms are held and queried: a thread of their own (SEARCH_THREAD=on, the default) or the event loop's (off). */
  searchThread: boolean;
  /** The catalog's in-process read cache (movie projections, genre pages): entries live at most ttlMs (0: off), invalidated by every write through Redis pub/sub. */
  catalogCache: { ttlMs: number; maxEntries: number };
  /** The API's token → user cache (src/http/auth.ts): entries live at most ttlMs (0: off), invalidated by every account change through Redis pub/sub. */
  authCache: { ttlMs: number; maxEntries: number };
  /** The payment gateway: the deterministic sandbox (default) or Toss Payments. */
  payments: { gateway: { type: 'sandbox' } | { type: 'toss'; secretKey: string; baseUrl?: string; webhookSecret?: string }; itemPrice: number; itemCurrency: string };
  /**
   * The team's big external data (MovieLens ml-latest-small, the Korean ratings): read only by
   * `npm run test:data`, the recommendation benchmark and `npm run demo:build`, never at run time.
   */
  sharedDataDir: string;
  /** The demo data set shipped in the repository (data/demo/): catalog, cinemas, a day of showtimes. */
  demoDataDir: string;
  /**
   * Load the demo on a fresh install (empty catalog): the catalog, cinemas and today's showtimes
   * before the first answer, then a week of members' activity in the background. DEMO=1/0; by
   * default on in the embedded mode outside production, off otherwise.
   */
  demo: boolean;
  /** Whether the process runs the job scheduler in-process (embedded) — derived from redisUrl. */
  embedded: boolean;
  /** Device pairing (RFC 8628): code lifetime, polling interval, token lifetime, limits. */
  devices: {
    codeTtlSeconds: number;
    pollIntervalSeconds: number;
    tokenTtlSeconds: number;
    /** Devices a member without an active subscription may pair. */
    defaultLimit: number;
    /** Where the member types the code (DEVICE_VERIFICATION_URI, e.g. the member app's own page); empty → Marquee's page `<public URL>/device`. */
    verificationUrl: string;
    codeRate: { points: number; durationSeconds: number; blockSeconds: number };
    confirmRate: { points: number; durationSeconds: number; blockSeconds: number };
  };
  /** Age verification (identity provider; sandbox by default). */
  verification: {
    provider: 'sandbox';
    /** HMAC key the provider signs callbacks with. */
    secret: string;
    /** HMAC key of the stored CI hash (one verified identity per account). */
    ciKey: string;
    txTtlSeconds: number;
    /** Age (full years) for 청소년 관람불가. */
    adultAge: number;
  };
}

export class ConfigError extends Error {
  constructor(public variable: string, message: string) {
    super(`Invalid configuration: ${variable} ${message}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

function decimal(env: Env, name: string, def: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new ConfigError(name, `must be a number (got "${raw}")`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
  return n;
}

function timeZone(env: Env, name: string, def: string): string {
  const zone = env[name] || def;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ConfigError(name, `must be an IANA time zone such as Asia/Seoul (got "${zone}")`);
  }
  return zone;
}

function paymentsConfig(env: Env): Config['payments'] {
  const kind = env.PAYMENT_GATEWAY || 'sandbox';
  if (kind !== 'sandbox' && kind !== 'toss') throw new ConfigError('PAYMENT_GATEWAY', `must be sandbox or toss (got "${kind}")`);
  const itemCurrency = (env.ITEM_CURRENCY || 'KRW').toUpperCase();
  if (!['KRW', 'USD', 'EUR', 'JPY'].includes(itemCurrency)) throw new ConfigError('ITEM_CURRENCY', `must be KRW, USD, EUR or JPY (got "${itemCurrency}")`);
  const itemPrice = int(env, 'ITEM_PRICE', 3000, 1, 100_000_000);
  if (kind === 'sandbox') return { gateway: { type: 'sandbox' }, itemPrice, itemCurrency };
  const secretKey = env.TOSS_SECRET_KEY ?? '';
  if (!/^(test|live)_sk_/.test(secretKey)) throw new ConfigError('TOSS_SECRET_KEY', 'is required with PAYMENT_GATEWAY=toss (test_sk_… or live_sk_…)');
  const baseUrl = url(env, 'TOSS_API_BASE', ['https:', 'http:']) ?? undefined;
  // The shared secret of the signed webhook relay; unset → POST payments/webhooks/toss answers 503.
  const webhookSecret = env.TOSS_WEBHOOK_SECRET || undefined;
  if (webhookSecret !== undefined && webhookSecret.length < 16) throw new ConfigError('TOSS_WEBHOOK_SECRET', 'must be at least 16 characters');
  return { gateway: { type: 'toss', secretKey, baseUrl, ...(webhookSecret ? { webhookSecret } : {}) }, itemPrice, itemCurrency };
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], def: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `must be ${values.join(', ')} (got "${raw}")`);
  return raw as T;
}

function bool(env: Env, name: string, def: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

function url(env: Env, name: string, protocols: string[]): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.map((p) => p.replace(':', '://')).join(' or ')}`);
  }
  return raw;
}

function required(env: Env, name: string, why: string): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') throw new ConfigError(name, `is required ${why}`);
  return raw.trim();
}

function storageConfig(env: Env): StorageConfig {
  const kind = (env.STORAGE || 'local').toLowerCase();
  if (kind === 'local') return { type: 'local' };
  if (kind !== 's3') throw new ConfigError('STORAGE', `must be local or s3 (got "${env.STORAGE}")`);
  const why = 'when STORAGE=s3';
  const endpoint = required(env, 'S3_ENDPOINT', why);
  if (url(env, 'S3_ENDPOINT', ['http:', 'https:']) === null) throw new ConfigError('S3_ENDPOINT', `is required ${why}`);
  const region = required(env, 'S3_REGION', why);
  if (!/^[a-z0-9-]{1,40}$/.test(region)) throw new ConfigError('S3_REGION', `must be a region name such as us-east-1 (got "${region}")`);
  const bucket = required(env, 'S3_BUCKET', why);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('S3_BUCKET', `must be a valid bucket name (got "${bucket}")`);
  return {
    type: 's3',
    endpoint: endpoint.replace(/\/+$/, ''),
    region,
    bucket,
    accessKeyId: required(env, 'S3_ACCESS_KEY_ID', why),
    secretAccessKey: required(env, 'S3_SECRET_ACCESS_KEY', why),
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', false),
  };
}

function verificationProvider(env: Env): 'sandbox' {
  const v = (env.VERIFICATION_PROVIDER || 'sandbox').toLowerCase();
  if (v !== 'sandbox') throw new ConfigError('VERIFICATION_PROVIDER', `must be sandbox (PASS/NICE adapters plug into the IdentityProvider interface; got "${env.VERIFICATION_PROVIDER}")`);
  return v;
}

function staffRoles(env: Env, name: string, def: string): Role[] {
  const raw = env[name] ?? def;
  const roles = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const r of roles) if (!STAFF_ROLES.includes(r as Role)) throw new ConfigError(name, `must list staff roles (${STAFF_ROLES.join(', ')}) separated by commas (got "${r}")`);
  return [...new Set(roles)] as Role[];
}

/** A secret from the environment, or one derived from `base` (HMAC labelled with the variable's name). */
function derivedSecret(env: Env, name: string, base: string): string {
  const raw = env[name];
  if (raw) {
    if (raw.length < 16) throw new ConfigError(name, 'must be at least 16 characters');
    return raw;
  }
  return createHmac('sha256', base).update(name).digest('hex');
}

/** A secret from the environment, or — in embedded (non-production) mode — one generated once and kept in dataDir. */
function secret(env: Env, name: string, nodeEnv: string, dataDir: string, warnings: string[]): string {
  const raw = env[name];
  if (raw) {
    if (raw.length < 16) throw new ConfigError(name, 'must be at least 16 characters');
    return raw;
  }
  if (nodeEnv === 'production') throw new ConfigError(name, 'is required when NODE_ENV=production');
  const file = path.join(dataDir, `.${name.toLowerCase()}`);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString('hex');
  writeFileSync(file, value, { mode: 0o600 });
  warnings.push(`${name} is not set: generated a random one and kept it in ${file}`);
  return value;
}

export function loadConfig(env: Env = process.env, warnings: string[] = []): Config {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = nodeEnvRaw as Config['env'];
  const dataDir = path.resolve(env.DATA_DIR || 'data');
  const dbUrl = url(env, 'DATABASE_URL', ['mysql:', 'mariadb:']);
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const replicaUrl = url(env, 'DATABASE_REPLICA_URL', ['mysql:', 'mariadb:']);
  if (replicaUrl && !dbUrl) throw new ConfigError('DATABASE_REPLICA_URL', 'needs DATABASE_URL (the primary)');
  const replicaMaxLagMs = Math.round(decimal(env, 'REPLICA_MAX_LAG_SECONDS', 5, 0.1, 3600) * 1000);
  const replicaBound = (ttlMs: number) => (replicaUrl ? Math.min(ttlMs, replicaMaxLagMs) : ttlMs);
  const sqliteFile = env.SQLITE_FILE ? path.resolve(env.SQLITE_FILE) : path.join(dataDir, 'marquee.sqlite');
  const adminEmail = env.ADMIN_EMAIL || null;
  if (adminEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', 'is not a valid e-mail address');
  }
  const adminPassword = env.ADMIN_PASSWORD || null;
  const adminPasswordProblem = adminPassword ? passwordProblem(adminPassword) : null;
  if (adminPasswordProblem) throw new ConfigError('ADMIN_PASSWORD', adminPasswordProblem);
  const publicUrl = url(env, 'PUBLIC_URL', ['http:', 'https:']) ?? '';
  const redisPrefix = env.REDIS_PREFIX || 'mq';
  if (!/^[A-Za-z0-9_:-]{1,40}$/.test(redisPrefix)) throw new ConfigError('REDIS_PREFIX', 'must be 1–40 letters, digits, _ : -');

  return {
    env: nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    publicUrl: publicUrl.replace(/\/+$/, ''),
    db: dbUrl ? { type: 'mysql', url: dbUrl, ...(replicaUrl ? { replicaUrl } : {}) } : { type: 'sqlite', file: sqliteFile },
    replication: {
      maxLagSeconds: decimal(env, 'REPLICA_MAX_LAG_SECONDS', 5, 0.1, 3600),
      readYourWritesSeconds: int(env, 'READ_YOUR_WRITES_SECONDS', 10, 1, 3600),
    },
    redisUrl,
    redisPrefix,
    jwtSecret: secret(env, 'JWT_SECRET', nodeEnv, dataDir, warnings),
    jwtExpiresInSeconds: int(env, 'JWT_EXPIRES_IN', 7 * 24 * 3600, 60),
    sessionSecret: secret(env, 'SESSION_SECRET', nodeEnv, dataDir, warnings),
    adminEmail,
    adminPassword,
    dataDir,
    corsOrigins: (env.CORS_ORIGINS || '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    logFormat: oneOf(env, 'LOG_FORMAT', ['auto', 'json', 'pretty'] as const, 'auto'),
    bodyLimit: env.BODY_LIMIT || '1mb',
    trustProxy: bool(env, 'TRUST_PROXY', false),
    loginRate: {
      points: int(env, 'LOGIN_RATE_POINTS', 10, 1),
      durationSeconds: int(env, 'LOGIN_RATE_WINDOW', 15 * 60, 1),
      blockSeconds: int(env, 'LOGIN_RATE_BLOCK', 15 * 60, 1),
    },
    staffMfa: {
      requiredRoles: staffRoles(env, 'STAFF_MFA_ROLES', 'admin,finance'),
      secretKey: derivedSecret(env, 'MFA_SECRET_KEY', secret(env, 'JWT_SECRET', nodeEnv, dataDir, warnings)),
      issuer: env.MFA_ISSUER || 'Marquee',
    },
    signupRate: {
      points: int(env, 'SIGNUP_RATE_POINTS', 20, 1),
      durationSeconds: int(env, 'SIGNUP_RATE_WINDOW', 60 * 60, 1),
      blockSeconds: int(env, 'SIGNUP_RATE_BLOCK', 60 * 60, 1),
    },
    onboardingMinYear: int(env, 'ONBOARDING_MIN_YEAR', 2015, 1900, 2100),
    uploadDir: env.UPLOAD_DIR ? path.resolve(env.UPLOAD_DIR) : path.join(dataDir, 'uploads'),
    maxUploadBytes: int(env, 'MAX_UPLOAD_BYTES', 2 * 1024 ** 3, 1),
    storage: storageConfig(env),
    mediaDir: env.MEDIA_DIR ? path.resolve(env.MEDIA_DIR) : path.join(dataDir, 'media'),
    // Profile images are read into memory to be stripped: the ceiling keeps that bounded.
    profileImageMaxBytes: int(env, 'PROFILE_IMAGE_MAX_BYTES', 5 * 1024 ** 2, 1024, 64 * 1024 ** 2),
    // Posters are read into memory to be checked and stripped, like profile images.
    posterMaxBytes: int(env, 'POSTER_MAX_BYTES', 5 * 1024 ** 2, 1024, 64 * 1024 ** 2),
    serviceTimeZone: timeZone(env, 'SERVICE_TIME_ZONE', 'Asia/Seoul'),
    mapMaxBoxDegrees: decimal(env, 'MAP_MAX_BOX_DEGREES', 0.5, 0.001, 180),
    // Seconds; this process clears it on every index change, other replicas' answers lag at most this long.
    // With a replica, a read may come from a replica that has not applied the write yet and be
    // cached after the write's invalidation: the caches then keep entries no longer than the lag
    // the replica reads may have (REPLICA_MAX_LAG_SECONDS), so they never add staleness of their own.
    searchCache: { ttlMs: replicaBound(Math.round(decimal(env, 'SEARCH_CACHE_TTL', 30, 0, 3600) * 1000)), maxEntries: int(env, 'SEARCH_CACHE_SIZE', 5000, 0, 1_000_000) },
    searchThread: bool(env, 'SEARCH_THREAD', true),
    // Seconds; every catalog write invalidates it in every process (pub/sub), the TTL bounds a lost message.
    catalogCache: { ttlMs: replicaBound(Math.round(decimal(env, 'CATALOG_CACHE_TTL', 300, 0, 86_400) * 1000)), maxEntries: int(env, 'CATALOG_CACHE_SIZE', 20_000, 0, 1_000_000) },
    // Seconds; every token revocation, rename or delete of an account invalidates it in every process (pub/sub), the TTL bounds a lost message.
    authCache: { ttlMs: replicaBound(Math.round(decimal(env, 'AUTH_CACHE_TTL', 30, 0, 3600) * 1000)), maxEntries: int(env, 'AUTH_CACHE_SIZE', 50_000, 0, 1_000_000) },
    payments: paymentsConfig(env),
    sharedDataDir: sharedDataDirOf(env),
    demoDataDir: demoDataDirOf(env),
    demo: bool(env, 'DEMO', redisUrl === null && nodeEnv !== 'production'),
    embedded: redisUrl === null,
    devices: {
      codeTtlSeconds: int(env, 'DEVICE_CODE_TTL', 600, 1, 3600),
      pollIntervalSeconds: int(env, 'DEVICE_POLL_INTERVAL', 5, 1, 60),
      tokenTtlSeconds: int(env, 'DEVICE_TOKEN_TTL', 90 * 24 * 3600, 60),
      defaultLimit: int(env, 'DEVICE_DEFAULT_LIMIT', 1, 0, 100),
      // DEVICE_VERIFICATION_URL is the earlier name, still read.
      verificationUrl: (url(env, 'DEVICE_VERIFICATION_URI', ['http:', 'https:']) ?? url(env, 'DEVICE_VERIFICATION_URL', ['http:', 'https:']) ?? '').replace(/\/+$/, ''),
      codeRate: { points: int(env, 'DEVICE_CODE_RATE_POINTS', 10, 1), durationSeconds: int(env, 'DEVICE_CODE_RATE_WINDOW', 600, 1), blockSeconds: int(env, 'DEVICE_CODE_RATE_WINDOW', 600, 1) },
      confirmRate: { points: int(env, 'DEVICE_CONFIRM_RATE_POINTS', 5, 1), durationSeconds: int(env, 'DEVICE_CONFIRM_RATE_WINDOW', 900, 1), blockSeconds: int(env, 'DEVICE_CONFIRM_RATE_WINDOW', 900, 1) },
    },
    verification: {
      provider: verificationProvider(env),
      secret: derivedSecret(env, 'VERIFICATION_SECRET', secret(env, 'JWT_SECRET', nodeEnv, dataDir, warnings)),
      ciKey: derivedSecret(env, 'VERIFICATION_CI_KEY', secret(env, 'JWT_SECRET', nodeEnv, dataDir, warnings)),
      txTtlSeconds: int(env, 'VERIFICATION_TX_TTL', 900, 10, 24 * 3600),
      adultAge: int(env, 'VERIFICATION_ADULT_AGE', 19, 15, 25),
    },
  };
}

/** SHARED_DATA_DIR (default ../shared/data beside the repository's working directory). Read without the rest of the config (no secrets generated). */
export function sharedDataDirOf(env: Env = process.env): string {
  return path.resolve(env.SHARED_DATA_DIR || '../shared/data');
}

/** DEMO_DATA_DIR (default the repository's data/demo/). */
export function demoDataDirOf(env: Env = process.env): string {
  return env.DEMO_DATA_DIR ? path.resolve(env.DEMO_DATA_DIR) : path.join(REPO_ROOT, 'data', 'demo');
}

/** For process entries: load the config or exit with one clear line. */
export function loadConfigOrExit(env: Env = process.env): { config: Config; warnings: string[] } {
  const warnings: string[] = [];
  try {
    return { config: loadConfig(env, warnings), warnings };
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** AdminJS reads these two variables itself; config.ts is the one place that touches process.env. */
export function setAdminBundleEnv(opts: { skipBundle: boolean; production: boolean }): void {
  if (opts.skipBundle) process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
  else delete process.env.ADMIN_JS_SKIP_BUNDLE;
  // AdminJS serves the prebuilt components bundle only when NODE_ENV=production at import time;
  // our own config has already been read, so this does not change Marquee's behaviour.
  if (opts.production) process.env.NODE_ENV = 'production';
}

/** Test-only settings (MariaDB/Redis of the development machine), still read in this one place. */
export function testEnv(env: Env = process.env) {
  return {
    mysqlUrl: env.TEST_DATABASE_URL || 'mariadb://root@127.0.0.1:3306',
    redisUrl: env.TEST_REDIS_URL || 'redis://127.0.0.1:6379',
    keepDb: bool(env, 'TEST_KEEP_DB', false),
  };
}
