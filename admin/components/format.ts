// The panel's one place for showing money, times and watch grades (issue 14 §1). Every component
// formats through these, so a list, a form and the dashboard never disagree.
//
// The zone is the service's (config `SERVICE_TIME_ZONE`, default Asia/Seoul), handed to the browser
// through AdminJS's `env` (window.AdminJS.env.SERVICE_TIME_ZONE); the label is shown beside every time.

declare global {
  interface Window {
    AdminJS?: { env?: Record<string, string | undefined> };
    /** AdminJS's initial state: the panel's root path and the staff member's language. */
    REDUX_STATE?: { locale?: { language?: string }; paths?: { rootPath?: string } };
  }
}

/** The panel's root path (AdminJS's REDUX_STATE), '/admin' by default. */
export function panelRootPath(): string {
  return (typeof window !== 'undefined' && window.REDUX_STATE?.paths?.rootPath) || '/admin';
}

/** The staff member's panel language ('ko' unless they chose English). */
export function panelLanguage(): string {
  return (typeof window !== 'undefined' && window.REDUX_STATE?.locale?.language) || 'ko';
}

/** A translate function of AdminJS's useTranslation (translateMessage / tm). */
type Translate = (key: string, resourceId?: string, options?: Record<string, unknown>) => string;
const SLOT = '\u0000';

/**
 * A text of the locale files with elements in it (a link, a <code>, a number a test reads by its
 * data-testid): each element goes where its {{name}} is in the staff member's language, so the
 * word order is the translation's. Render the parts with React.Children.toArray(...).
 *   withElements(tm, 'dashSignupsTitle', { from, to }, { total: <span data-testid="signups-total">3</span> })
 */
export function withElements<T>(translate: Translate, key: string, values: Record<string, unknown>, elements: Record<string, T>): Array<string | T> {
  const marks = Object.fromEntries(Object.keys(elements).map((name) => [name, `${SLOT}${name}${SLOT}`]));
  return translate(key, undefined, { ...values, ...marks })
    .split(SLOT)
    .map((part, i) => (i % 2 && part in elements ? elements[part]! : part))
    .filter((part) => part !== '');
}

const DEFAULT_ZONE = 'Asia/Seoul';

/** The service's time zone as the server configured it. */
export function serviceZone(): string {
  const fromEnv = typeof window !== 'undefined' ? window.AdminJS?.env?.SERVICE_TIME_ZONE : undefined;
  return fromEnv || DEFAULT_ZONE;
}

const labelFormats = new Map<string, Intl.DateTimeFormat>();

/** Short zone label: "KST" for Asia/Seoul, else the zone's own short name (e.g. "UTC", "GMT+9"). */
export function zoneLabel(zone = serviceZone(), at: Date = new Date()): string {
  if (zone === 'Asia/Seoul') return 'KST';
  let f = labelFormats.get(zone);
  if (!f) labelFormats.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'short' })));
  const part = f
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone;
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

function moneyFormat(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    // ko-KR writes USD as "US$" (symbol) and KRW as "₩" (narrow symbol).
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: currency === 'USD' ? 'symbol' : 'narrowSymbol' });
    moneyFormats.set(key, f);
  }
  return f;
}

/**
 * ₩12,900 · US$12.90 — amounts are integers in the currency's minor unit, as the commerce module
 * stores them (KRW has none: 12900 → ₩12,900; USD has cents: 1290 → US$12.90).
 */
export function formatMoney(amount: number | string | null | undefined, currency = 'KRW', locale = 'ko-KR'): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  let f: Intl.NumberFormat;
  try {
    f = moneyFormat(currency || 'KRW', locale);
  } catch {
    return `${n} ${currency}`; // not an ISO currency code
  }
  const digits = f.resolvedOptions().maximumFractionDigits ?? 0;
  return f.format(n / 10 ** digits);
}

/** The UTC offset (ms) of `zone` at the instant `at`. */
function zoneOffsetMs(zone: string, at: number): number {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** "2026-12-03T21:50" (a wall-clock time in the service zone, as <input type="datetime-local"> gives it) → ISO UTC. */
export function zonedInputToIso(wall: string, zone = serviceZone()): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall);
  if (!m) return null;
  const guess = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  let at = guess - zoneOffsetMs(zone, guess);
  at = guess - zoneOffsetMs(zone, at); // the offset at the answer itself (daylight saving edges)
  return new Date(at).toISOString();
}

/** An instant → "2026-12-03T21:50", its wall-clock time in the service zone (for datetime-local inputs). */
export function isoToZonedInput(value: string | number | Date | null | undefined, zone = serviceZone()): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const local = new Date(d.getTime() + zoneOffsetMs(zone, d.getTime()));
  return local.toISOString().slice(0, 16);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat costs far more than using one (a CSV export formats 100k times): one per zone and precision. */
function timeFormat(zone: string, withSeconds: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withSeconds}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    timeFormats.set(key, f);
  }
  return f;
}

/** "2026-12-03 21:50 KST": a moment shown in the service's zone, with the zone labelled. */
export function formatDateTime(value: string | number | Date | null | undefined, zone = serviceZone(), withSeconds = false): string {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const parts = Object.fromEntries(
    timeFormat(zone, withSeconds)
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const time = `${parts.hour}:${parts.minute}${withSeconds ? `:${parts.second}` : ''}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time} ${zoneLabel(zone, d)}`;
}

/** A calendar day (YYYY-MM-DD) of a moment in the service's zone. */
export function dayInZone(value: string | number | Date, zone = serviceZone()): string {
  const d = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** Watch grades are shown as the catalog writes them ("12세 관람가", "청소년 관람불가"), never re-spaced. */
export function formatGrade(grade: string | null | undefined): string {
  return grade ? String(grade).replace(/\s+세/g, '세') : '';
}
