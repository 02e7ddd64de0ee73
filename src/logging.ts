// The process logger (pino) and what it must never print: passwords, hashes, tokens,
// authorization headers, cookies and secrets — wherever they sit in a logged object — and the SQL
// parameters a failed query carries (an INSERT of a user holds its argon2 hash).
import pino, { type DestinationStream, type Logger } from 'pino';
import { prettyStream } from './log-pretty.js';

/** Keys whose values are censored in every log line, at any depth up to REDACT_DEPTH. */
export const SENSITIVE_KEYS = [
  'password',
  'new_password',
  'current_password',
  'passwordHash',
  'password_hash',
  'hash',
  'token',
  'access_token',
  'refresh_token',
  'device_code',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'secret',
  'secretKey',
  'client_secret',
  'jwtSecret',
  'sessionSecret',
  'webhookSecret',
] as const;

/** Nesting levels the redaction paths reach (pino's `*` matches one level: `*.*.password` is two deep). */
const REDACT_DEPTH = 5;

const CENSOR = '[Redacted]';
const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, '');
const SENSITIVE = new Set(SENSITIVE_KEYS.map(normalise));

/** pino redact paths: each sensitive key at the top level and under up to REDACT_DEPTH wildcards. */
export function redactPaths(): string[] {
  const segment = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
  const out: string[] = [];
  for (let depth = 0; depth <= REDACT_DEPTH; depth++) {
    const prefix = Array(depth).fill('*').join('.');
    for (const key of SENSITIVE_KEYS) {
      const seg = segment(key);
      out.push(prefix ? `${prefix}${seg}` : seg.startsWith('.') ? key : seg);
    }
  }
  return out;
}

/**
 * What an error may show of itself. TypeORM's QueryFailedError copies the driver's fields onto
 * itself: `parameters` (the values bound to the query), mysql2's `sql` (the query with those values
 * written in) and `driverError` (the same again). Those go; the SQL text with placeholders, the
 * code and the message stay. Sensitive keys are censored at any depth; causes are scrubbed too.
 */
export function scrubError(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => scrubError(v, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'parameters' || key === 'sql') continue;
    if (key === 'driverError') {
      const d = v as { code?: unknown; errno?: unknown } | null;
      out[key] = d && typeof d === 'object' ? { code: d.code, errno: d.errno } : undefined;
      continue;
    }
    out[key] = SENSITIVE.has(normalise(key)) ? CENSOR : scrubError(v, seen);
  }
  return out;
}

const errSerializer = (err: unknown) => scrubError(err instanceof Error ? pino.stdSerializers.err(err) : err);

/** The logger's serializers: errors scrubbed (pino's standard one would print every field of the error). */
export const logSerializers = { err: errSerializer, error: errSerializer };

/**
 * The logger of every process. `destination`: where lines go (stdout by default; tests capture
 * them). LOG_FORMAT: JSON lines, or readable lines (`pretty`; `auto` = when stdout is a terminal).
 */
export function createLogger(config: { logLevel: string; logFormat?: 'auto' | 'json' | 'pretty' }, destination?: DestinationStream): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: redactPaths(), censor: CENSOR },
    serializers: logSerializers,
  };
  const format = config.logFormat ?? 'json';
  const pretty = format === 'pretty' || (format === 'auto' && !!process.stdout.isTTY);
  if (destination) return pino(options, destination);
  return pretty ? pino(options, prettyStream()) : pino(options);
}

/**
 * A process entry's last word: an uncaught error (a failed start, a rejected top-level await) is
 * logged through the logger — scrubbed like any other — instead of Node printing the raw error
 * object with its SQL parameters, and the process exits 1.
 */
export function exitOnFatal(logger: Logger): void {
  const die = (err: unknown, what: string) => {
    logger.fatal({ err }, what);
    logger.flush?.();
    process.exit(1);
  };
  process.on('uncaughtException', (err) => die(err, 'uncaught exception: stopping'));
  process.on('unhandledRejection', (err) => die(err, 'unhandled rejection: stopping'));
}
