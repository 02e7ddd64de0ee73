// Log lines for a person at a terminal: pino's JSON objects as one readable line each
// ("12:04:05 INFO  message key=value"), errors with their stack. Used when stdout is a TTY (or
// LOG_FORMAT=pretty); otherwise the logs stay JSON lines for collectors.
import { Writable } from 'node:stream';

const LEVELS: Record<number, { name: string; color: number }> = {
  10: { name: 'TRACE', color: 90 },
  20: { name: 'DEBUG', color: 36 },
  30: { name: 'INFO ', color: 32 },
  40: { name: 'WARN ', color: 33 },
  50: { name: 'ERROR', color: 31 },
  60: { name: 'FATAL', color: 35 },
};
/** Keys every line has (shown in their own places, or not at all). */
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'err', 'req', 'res', 'responseTime', 'v']);

const value = (v: unknown): string => {
  if (typeof v === 'string') return /^[^\s"=]{1,80}$/.test(v) ? v : JSON.stringify(v);
  const s = JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
};

/** One log object as one line (plus the error's stack below it). Exported for the tests. */
export function formatLogLine(entry: Record<string, unknown>, color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level), color: 0 };
  const time = typeof entry.time === 'number' ? new Date(entry.time).toTimeString().slice(0, 8) : '';
  const parts = [paint(90, time), paint(level.color, level.name)];
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  if (req?.method) parts.push(`${req.method} ${req.url ?? ''}${res?.statusCode ? ` ${res.statusCode}` : ''}${typeof entry.responseTime === 'number' ? ` ${entry.responseTime}ms` : ''}`);
  // A message of several lines (the start banner) keeps its lines; the fields go after the first.
  const [first, ...more] = entry.msg === undefined ? [] : String(entry.msg).split('\n');
  if (first !== undefined) parts.push(first);
  const extra = Object.entries(entry).filter(([k]) => !SKIP.has(k));
  if (extra.length) parts.push(paint(90, extra.map(([k, v]) => `${k}=${value(v)}`).join(' ')));
  let line = parts.filter(Boolean).join(' ');
  if (more.length) line += `\n${more.join('\n')}`;
  const err = entry.err as { message?: string; stack?: string } | undefined;
  if (err) line += `\n${paint(level.color, err.stack ?? err.message ?? JSON.stringify(err))}`;
  return `${line}\n`;
}

/** A destination for pino that prints each JSON line readably. */
export function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Writable {
  const color = !!out.isTTY;
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const raw of chunk.toString('utf8').split('\n')) {
        if (!raw) continue;
        try {
          out.write(formatLogLine(JSON.parse(raw) as Record<string, unknown>, color));
        } catch {
          out.write(`${raw}\n`);
        }
      }
      done();
    },
  });
}
