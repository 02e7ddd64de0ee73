// The service's local calendar. Showtimes are wall-clock times of the cinema (a DATE and a TIME,
// no offset), so "today", "now" and the 3-day booking window are read in one configured time zone
// (SERVICE_TIME_ZONE, Asia/Seoul by default), never in the process's own zone.

export interface LocalNow {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS */
  time: string;
}

const DAY_MS = 86_400_000;

/** Whether the runtime knows this IANA zone name. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus n months; the day is clamped to the target month's last day (01-31 + 1 → 02-28/29). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/** Whether a string is a real calendar date in YYYY-MM-DD form. */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** "18:30" or "18:30:00" → "18:30:00"; null when it is not a time of day. */
export function normalizeTime(s: string): string | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s.trim());
  if (!m) return null;
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
  if (h > 23 || min > 59 || sec > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}:${String(sec).padStart(2, '0')}`;
}

export class LocalCalendar {
  private readonly fmt: Intl.DateTimeFormat;

  constructor(
    readonly timeZone: string,
    /** The clock (tests may pass a fixed one). */
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
  }

  /** The last answer and its second (hot reads ask many times a second: formatting is not free). */
  private last: { second: number; now: LocalNow } | null = null;

  now(): LocalNow {
    const at = this.clock();
    const second = Math.floor(at.getTime() / 1000);
    if (this.last?.second === second) return { ...this.last.now };
    const parts = Object.fromEntries(this.fmt.formatToParts(at).map((p) => [p.type, p.value]));
    const now = { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
    this.last = { second, now };
    return { ...now };
  }

  today(): string {
    return this.now().date;
  }
}
