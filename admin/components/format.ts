// The panel's one place for showing money, times and watch grades (issue 14 §1). Every component
// formats through these, so a list, a form and the dashboard never disagree.
//
// The zone is the service's (config `SERVICE_TIME_ZONE`, default Asia/Seoul), handed to the browser
// through AdminJS's `env` (window.AdminJS.env.SERVICE_TIME_ZONE); the label is shown beside every time.

declare global {
  interface Window {
    AdminJS?: { env?: Record<string, string | undefined> };
  }
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

/** ₩12,900 · US$12.90 — amounts are in the currency's major unit, as the commerce module stores them. */
export function formatMoney(amount: number | string | null | undefined, currency = 'KRW', locale = 'ko-KR'): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const n = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  const key = `${locale}|${currency}`;
  let f = moneyFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: currency === 'USD' ? 'symbol' : 'narrowSymbol' });
    moneyFormats.set(key, f);
  }
  // ko-KR shows USD as "US$"; other currencies keep their symbol.
  return f.format(n);
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
