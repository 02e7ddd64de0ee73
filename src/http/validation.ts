// Request validation with zod: input is parsed against the route's schema, unknown keys are
// dropped (the seed's client sends extra ones), and failures become 400 {"field": ["message"]}
// with DRF's Korean messages (English on Accept-Language: en).
import { z, type ZodType } from 'zod';
// Schemas made here (idParam…) carry .openapi() only when zod was extended first, whoever imports this first.
import './openapi.js';
import { ValidationError } from './errors.js';
import { t, type Lang, type MessageKey } from './i18n.js';

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** A schema may carry its own message as `i18n:<key>` (translated) or as plain text. */
function custom(message: string, lang: Lang): string {
  return message.startsWith('i18n:') ? t(lang, message.slice(5) as MessageKey) : message;
}

export function issueMessage(issue: Issue, input: unknown, lang: Lang): string {
  const value = valueAt(input, issue.path);
  if (issue.message?.startsWith('i18n:')) return custom(issue.message, lang);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && (value === undefined || value === null)) return t(lang, 'required');
  switch (issue.code) {
    case 'invalid_union': {
      // The first alternative's complaint is the most useful one (e.g. "not a number").
      const first = issue.errors?.[0]?.[0];
      return first ? issueMessage({ ...first, path: issue.path } as Issue, input, lang) : t(lang, 'invalid');
    }
    case 'invalid_type':
      if (value === undefined || value === null) return t(lang, 'required');
      switch (issue.expected) {
        case 'number':
          return t(lang, 'number');
        case 'int':
          return t(lang, 'integer');
        case 'boolean':
          return t(lang, 'boolean');
        case 'string':
          return t(lang, 'string');
        case 'array':
          return t(lang, 'list');
        case 'object':
          return t(lang, 'object');
        case 'date':
          return t(lang, 'date');
        default:
          return t(lang, 'invalid');
      }
    case 'too_big':
      if (issue.origin === 'string') return t(lang, 'maxLength', { n: Number(issue.maximum) });
      return t(lang, 'maxValue', { n: Number(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) === 1 && String(value ?? '').trim() === '' ? t(lang, 'blank') : t(lang, 'minLength', { n: Number(issue.minimum) });
      }
      return t(lang, 'minValue', { n: Number(issue.minimum) });
    case 'invalid_format':
      if (issue.format === 'email') return t(lang, 'email');
      if (issue.format === 'url') return t(lang, 'url');
      if (issue.format === 'date') return t(lang, 'date');
      if (issue.format === 'datetime') return t(lang, 'datetime');
      return t(lang, 'invalid');
    case 'invalid_value':
      return t(lang, 'choice', { v: String(value) });
    case 'custom':
      return custom(issue.message, lang);
    default:
      return t(lang, 'invalid');
  }
}

/** Turns zod issues into DRF's `{"field": ["message"]}` (nested paths joined with dots). */
export function fieldErrors(issues: Issue[], input: unknown, lang: Lang): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : 'non_field_errors';
    const msg = issueMessage(issue, input, lang);
    (out[key] ??= []).includes(msg) || out[key].push(msg);
  }
  return out;
}

export function parseOrThrow<S extends ZodType>(schema: S, input: unknown, lang: Lang): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrors(result.error.issues, input, lang));
  const text = textFieldErrors(result.data, lang);
  if (Object.keys(text).length) throw new ValidationError(text);
  return result.data;
}

// ---- text hygiene ----------------------------------------------------------------------------
// Every string a schema lets through (body, query, path parameters — and the admin panel's writes,
// admin/resources/validate.ts) is checked here once, so no field needs its own rule.

/**
 * Never accepted in text: C0 controls except tab/LF/CR (NUL included), DEL, C1 controls, lone
 * surrogates (not valid Unicode; MariaDB would store U+FFFD or refuse), and U+FFFD and U+FFFE/U+FFFF
 * (what a decoder leaves of invalid UTF-8 in a body, and noncharacters).
 */
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TABS_AND_LINE_BREAKS = /[\t\n\r]/;

/**
 * Long-text fields that may hold tabs and line breaks (reviews, summaries, reasons, notes, a
 * cinema's directions) — compared without case and underscores, so the API's `partnership_notes`
 * and the panel's `partnershipNotes` are one field.
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['comment', 'summary', 'description', 'reason', 'note', 'notes', 'partnershipnotes', 'public', 'publictransport', 'parking']);
const fieldKey = (field: string) => field.toLowerCase().replace(/_/g, '');

/** Passwords are hashed, never stored or shown as text: any character stays allowed (existing passwords keep working). */
const UNCHECKED_FIELD = /password/i;

/** The text rule for one string: a message key when `value` breaks it, else null. */
function textProblem(value: string, field: string | undefined): MessageKey | null {
  if (field !== undefined && UNCHECKED_FIELD.test(field)) return null;
  if (FORBIDDEN_CHARS.test(value)) return 'controlChars';
  if (TABS_AND_LINE_BREAKS.test(value) && !(field !== undefined && MULTILINE_FIELDS.has(fieldKey(field)))) return 'lineBreaks';
  return null;
}

/**
 * `{"field": ["message"]}` for every string in parsed input (nested objects and lists too; keys
 * joined with dots like fieldErrors) that holds a forbidden character; empty when all are clean.
 */
export function textFieldErrors(data: unknown, lang: Lang): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const walk = (value: unknown, path: Array<string | number>, field: string | undefined) => {
    if (typeof value === 'string') {
      const problem = textProblem(value, field);
      if (problem) (out[path.length ? path.join('.') : 'non_field_errors'] ??= []).push(t(lang, problem));
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i], field));
    } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k], k);
    }
  };
  walk(data, [], undefined);
  return out;
}

// ---- reusable field schemas ------------------------------------------------------------------

/** An id as the seed's client sends it: a positive integer or a numeric string ("85579"). */
export const idParam = z
  .union([z.number(), z.string().regex(/^\d+$/, 'i18n:integer')])
  .transform((v) => Number(v))
  .pipe(z.number().int().positive().max(2147483647));

/** A boolean as HTML forms and the seed send it: true/false, 1/0, "true"/"false". */
export const looseBool = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.enum(['true', 'false', '1', '0', 'True', 'False'])])
  .transform((v) => v === true || v === 1 || v === 'true' || v === '1' || v === 'True');

/** A page number query parameter (DRF: ?page=N). */
export const pageQuery = z.coerce.number().int().min(1).max(1_000_000).default(1);
