// Marquee's own panel texts (issue 14 §1 "Korean first"): every text of the panel's own screens and
// notices is in the locale files, Korean and English, with the same {{values}}; the screens ask
// only for texts that exist and write none of their own; the server's texts fill in their values
// (test/admin/panel-language.test.ts: every action named in Korean, notices in each staff member's language).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { en, enTexts } from '../../admin/locale/en.js';
import { ko, koTexts } from '../../admin/locale/ko.js';
import { panelText, panelValue } from '../../admin/locale/index.js';
import { SUBSCRIPTION_EVENT_KINDS } from '../../src/modules/commerce/commerce.entities.js';

const COMPONENTS = path.resolve('admin/components');
const sources = readdirSync(COMPONENTS)
  .filter((f) => f.endsWith('.tsx'))
  .map((f) => ({ file: f, code: stripComments(readFileSync(path.join(COMPONENTS, f), 'utf8')) }));

/** The source without comments (// to the end of a line, block comments), so comments may stay English. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Prefixes of the texts components keep in tables and ternaries (SECTIONS, SOURCES, TEXT, FIELDS…). */
const TABLE_PREFIXES = ['bulk', 'dash', 'fin', 'ma', 'rel', 'pay', 'poster', 'rating', 'retrain', 'pw', 'staff', 'recompute', 'tfa', 'meta', 'json', 'reason', 'write', 'upload'];
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const keys = new Set(Object.keys(koTexts));
const messages = (t: typeof ko) => t.messages as Record<string, string>;

describe('the panel texts', () => {
  it('are given in Korean and English, with the same values to fill in, and Korean is Korean', () => {
    expect(Object.keys(enTexts).sort()).toEqual(Object.keys(koTexts).sort());
    const differ = Object.entries(koTexts).filter(([k, v]) => JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(enTexts[k as keyof typeof enTexts])));
    expect(differ).toEqual([]);
    // every Korean text has Hangul, except the few that are only a format ("{{status}} {{count}}", "{{day}} …")
    const notKorean = Object.entries(koTexts).filter(([, v]) => !/[가-힣]/.test(v) && v.replace(/\{\{\s*\w+\s*\}\}/g, '').replace(/[\s()…:.,·#%—–-]/g, '') !== '');
    expect(notKorean).toEqual([]);
    // both reach AdminJS's translateMessage (the `messages` block of each locale)
    for (const k of keys) {
      expect(messages(ko)[k]).toBe(koTexts[k as keyof typeof koTexts]);
      expect(messages(en)[k]).toBe(enTexts[k as keyof typeof enTexts]);
    }
  });

  it('are what the screens ask for: every key a component reads exists', () => {
    const asked = new Set<string>();
    const families = new Set<string>();
    for (const { code } of sources) {
      for (const m of code.matchAll(/\b(?:tm|translateMessage)\(\s*'(\w+)'/g)) asked.add(m[1]!);
      for (const m of code.matchAll(/withElements\(\s*tm,\s*'(\w+)'/g)) asked.add(m[1]!);
      for (const m of code.matchAll(/\b(?:tm|translateMessage)\(\s*`(\w+_)\$\{/g)) families.add(m[1]!);
      // keys kept in tables and ternaries: a literal with the prefix (leading lower-case run) of the
      // screens' own texts (not csv/import/movie/content…, which action and property names share)
      for (const m of code.matchAll(/'([a-z]+[A-Z]\w*|loading|none|yes|no)'/g)) {
        const prefix = /^[a-z]+/.exec(m[1]!)![0];
        if (TABLE_PREFIXES.includes(prefix) || ['loading', 'none', 'yes', 'no'].includes(m[1]!)) asked.add(m[1]!);
      }
    }
    const messageKeys = new Set(Object.keys(messages(ko)));
    const missing = [...asked].filter((k) => !messageKeys.has(k) || !(k in messages(en)));
    expect(missing).toEqual([]);
    expect(asked.size).toBeGreaterThan(150);
    // the families built from a value: each value the screens or the server can pass
    expect([...families].sort()).toEqual(['finButton_', 'finIntro_', 'finRule_', 'jobsState_']);
    const finance = sources.find((s) => s.file === 'finance-action.tsx')!.code;
    const actions = JSON.parse(/const ACTIONS = (\[[^\]]+\])/.exec(finance)![1]!.replace(/'/g, '"')) as string[];
    const rules = ['full_7d_unwatched', 'prorated', 'period_ended', 'item_watched', 'item_window_passed', 'fully_refunded', 'not_refundable'];
    const built = [...actions.flatMap((a) => [`finIntro_${a}`, `finButton_${a}`]), ...rules.map((r) => `finRule_${r}`), ...SUBSCRIPTION_EVENT_KINDS.map((k) => `tlSubscription_${k}`), 'tlPayment_subscription', 'tlPayment_item'];
    expect(built.filter((k) => !keys.has(k))).toEqual([]);
  });

  it('are not written into the screens: no English sentence, label or message is left in admin/components', () => {
    const found: string[] = [];
    for (const { file, code } of sources) {
      const report = (what: string) => found.push(`${file}: ${what.trim()}`);
      // JSX text between tags with English words ("Loading…", "Last payments"); identifiers (cinema_id,…) aside
      for (const m of code.matchAll(/(?<![=-])>([^<>{}]*)</g)) {
        const text = m[1]!;
        const code = /[;=?&[]/.test(text) || /\n\s*\w+:/.test(text); // an arrow, a comparison, an object literal
        const identifiers = /^[\w,]+$/.test(text.trim()) && text.includes('_');
        if (!code && !identifiers && /[A-Za-z]{2,}[\s.,:;!?…’']/.test(`${text} `)) report(text);
      }
      // texts in attributes: placeholder="Person", alt="…", aria-label="…", title="…", label="…"
      for (const m of code.matchAll(/\b(placeholder|alt|aria-label|title|label)="([^"]*[A-Za-z]{2,}[^"]*)"/g)) report(m[0]);
      // notices and form errors written as English
      for (const m of code.matchAll(/(?:message:|setError\()\s*['"`][A-Za-z]/g)) report(m[0]);
      // English sentences in string literals and templates ("Write a reason.", `Choose ${x}.`)
      for (const m of code.matchAll(/(['"`])([A-Z][a-z]+ [a-z]+[^'"`]*)\1/g)) report(m[2]!);
    }
    expect(found).toEqual([]);
  });

  it('fill in their values, on the server as on the screens', () => {
    expect(panelText('ko', 'bulkDoneRefused', { done: 2, total: 3, refused: 1 })).toBe('3건 중 2건을 처리했고 1건은 거절되었습니다.');
    expect(panelText('en', 'bulkDoneRefused', { done: 2, total: 3, refused: 1 })).toBe('2 of 3 done, 1 refused.');
    expect(panelText('ko', 'writeReason')).toBe('사유를 입력하세요.');
    // a value left out stays visible as its name rather than vanishing
    expect(panelText('en', 'finPolicyMax')).toBe('The policy allows at most {{amount}}; switch to override to refund more.');
    expect(panelValue('ko', 'status', 'partially_refunded')).toBe('부분 환불');
    expect(panelValue('ko', 'status', 'no_such_status')).toBe('no_such_status');
    expect(panelValue('en', 'status', 'paid')).toBe('paid');
  });
});
