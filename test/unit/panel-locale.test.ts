// The panel's Korean translation is complete (AdminJS ships no `ko`: every key of its English one
// must be given), names every resource, and the formatters show money, times and grades as the
// issue asks (₩12,900 · US$12.90 · "2026-12-03 21:50 KST" · "12세 관람가").
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ko } from '../../admin/locale/ko.js';
import { en } from '../../admin/locale/en.js';
import { panelLanguageOf, panelLocale } from '../../admin/locale/index.js';
import { formatDateTime, formatGrade, formatMoney, isoToZonedInput, zonedInputToIso } from '../../admin/components/format.js';

function leaves(o: unknown, prefix = ''): string[] {
  if (o === null || typeof o !== 'object') return [prefix];
  return Object.entries(o as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

const adminjsEn = (() => {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('adminjs'));
  while (!readdirSync(dir).includes('package.json')) dir = path.dirname(dir);
  return JSON.parse(readFileSync(path.join(dir, 'lib/locale/en/translation.json'), 'utf8'));
})();

describe('the Korean translation', () => {
  it('gives every key of AdminJS\'s English translation (no English left over)', () => {
    const have = new Set(leaves(ko));
    const missing = leaves(adminjsEn).filter((k) => !k.startsWith('components.LanguageSelector.availableLanguages.') && !k.startsWith('resources') && !have.has(k));
    expect(missing).toEqual([]);
    // and nothing says AdminJS
    expect(JSON.stringify(ko)).not.toMatch(/AdminJS/);
    expect(JSON.stringify(en)).not.toMatch(/AdminJS/);
  });

  it('names every resource of the panel and its navigation groups in Korean', () => {
    const dir = path.resolve('admin/resources');
    const ids = new Set<string>();
    for (const f of readdirSync(dir)) {
      const src = readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/\bid: '([a-z_]+)'/g)) ids.add(m[1]!);
      for (const m of src.matchAll(/_(?:ID|RESOURCE) = '([a-z_]+)'/g)) ids.add(m[1]!);
      for (const m of src.matchAll(/navigation: \{ name: '(\w+)'|const [A-Z]+ = \{ name: '(\w+)'/g)) ids.add(m[1] ?? m[2]!);
    }
    expect(ids.size).toBeGreaterThan(15);
    const labels = ko.labels as Record<string, unknown>;
    const unnamed = [...ids].filter((id) => typeof labels[id] !== 'string' || !/[가-힣]/.test(labels[id] as string));
    expect(unnamed).toEqual([]);
  });

  it('is chosen per staff member: Korean unless the account says English', async () => {
    expect(panelLanguageOf(undefined)).toBe('ko');
    expect(panelLanguageOf({ email: 'a', language: 'en' } as never)).toBe('en');
    expect(panelLanguageOf({ email: 'a', language: 'fr' } as never)).toBe('ko');
    const k = await panelLocale(undefined);
    expect(k).toEqual(expect.objectContaining({ language: 'ko', availableLanguages: ['ko'], localeDetection: false }));
    expect(Object.keys(k.translations)).toEqual(['ko']);
    expect((await panelLocale({ email: 'a', language: 'en' } as never)).language).toBe('en');
  });
});

describe('the panel formatter', () => {
  it('formats money in the minor unit of its currency', () => {
    expect(formatMoney(12900, 'KRW')).toBe('₩12,900');
    expect(formatMoney(1290, 'USD')).toBe('US$12.90');
    expect(formatMoney(99000)).toBe('₩99,000');
    expect(formatMoney(null)).toBe('');
    expect(formatMoney(5, 'XX')).toBe('5 XX');
  });

  it('shows a moment in the service zone with the zone, and reads one typed in that zone', () => {
    expect(formatDateTime('2026-12-03T12:50:00Z', 'Asia/Seoul')).toBe('2026-12-03 21:50 KST');
    expect(formatDateTime('2026-12-03T12:50:00Z', 'UTC')).toBe('2026-12-03 12:50 UTC');
    expect(zonedInputToIso('2026-12-03T21:50', 'Asia/Seoul')).toBe('2026-12-03T12:50:00.000Z');
    expect(isoToZonedInput('2026-12-03T12:50:00Z', 'Asia/Seoul')).toBe('2026-12-03T21:50');
    // a zone with daylight saving: 2026-07-01 09:00 in New York is 13:00 UTC
    expect(zonedInputToIso('2026-07-01T09:00', 'America/New_York')).toBe('2026-07-01T13:00:00.000Z');
    expect(zonedInputToIso('not a time', 'Asia/Seoul')).toBeNull();
  });

  it('shows watch grades as written', () => {
    expect(formatGrade('12 세 관람가')).toBe('12세 관람가');
    expect(formatGrade('청소년 관람불가')).toBe('청소년 관람불가');
  });
});
