// Input validation with zod, in codes: a failed parse becomes field errors as message codes
// (DRF's texts in src/modules/shared/messages.ts), translated at the edge. Unknown keys are dropped
// (the seed's client sends extra ones). Used by the services, the routes (src/http/validation.ts)
// and the panel's forms.
import { z, type ZodType } from 'zod';
import './zod-openapi.js';
import type { MessageCode } from './catalogue.js';
import { invalidFields, msg, type FieldMessages, type Message } from './errors.js';

type Issue = z.core.$ZodIssue;

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** A schema may carry its own message as `i18n:<code>` (a catalogue code) or as plain text. */
function custom(message: string | undefined): Message {
  if (message?.startsWith('i18n:')) return msg(message.slice(5) as MessageCode);
  return msg('text', { text: message ?? '' });
}

/** The message of one zod issue, as a code. */
export function issueCode(issue: Issue, input: unknown): Message {
  const value = valueAt(input, issue.path);
  if (issue.message?.startsWith('i18n:')) return custom(issue.message);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && (value === undefined || value === null)) return msg('required');
  switch (issue.code) {
    case 'invalid_union': {
      // The first alternative's complaint is the most useful one (e.g. "not a number").
      const first = issue.errors?.[0]?.[0];
      return first ? issueCode({ ...first, path: issue.path } as Issue, input) : msg('invalid');
    }
    case 'invalid_type':
      switch (issue.expected) {
        case 'number':
          return msg('number');
        case 'int':
          return msg('integer');
        case 'boolean':
          return msg('boolean');
        case 'string':
          return msg('string');
        case 'array':
          return msg('list');
        case 'object':
          return msg('object');
        case 'date':
          return msg('date');
        default:
          return msg('invalid');
      }
    case 'too_big':
      if (issue.origin === 'string') return msg('maxLength', { n: Number(issue.maximum) });
      return msg('maxValue', { n: Number(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) === 1 && String(value ?? '').trim() === '' ? msg('blank') : msg('minLength', { n: Number(issue.minimum) });
      }
      return msg('minValue', { n: Number(issue.minimum) });
    case 'invalid_format':
      if (issue.format === 'email') return msg('email');
      if (issue.format === 'url') return msg('url');
      if (issue.format === 'date') return msg('date');
      if (issue.format === 'datetime') return msg('datetime');
      return msg('invalid');
    case 'invalid_value':
      return msg('choice', { v: String(value) });
    case 'custom':
      return custom(issue.message);
    default:
      return msg('invalid');
  }
}

const sameMessage = (a: Message, b: Message) => a.code === b.code && JSON.stringify(a.vars ?? {}) === JSON.stringify(b.vars ?? {});

/** zod issues as field errors `{"field": [message]}` (nested paths joined with dots). */
export function fieldCodes(issues: Issue[], input: unknown): FieldMessages {
  const out: FieldMessages = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : 'non_field_errors';
    const m = issueCode(issue, input);
    const list = (out[key] ??= []);
    if (!list.some((x) => sameMessage(x, m))) list.push(m);
  }
  return out;
}

/** Parses `input` with `schema`, or throws a DomainError with the field errors (text rule included). */
export function parseInput<S extends ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidFields(fieldCodes(result.error.issues, input));
  const text = textFieldCodes(result.data);
  if (Object.keys(text).length) throw invalidFields(text);
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

/** The text rule for one string: a message code when `value` breaks it, else null. */
function textProblem(value: string, field: string | undefined): MessageCode | null {
  if (field !== undefined && UNCHECKED_FIELD.test(field)) return null;
  if (FORBIDDEN_CHARS.test(value)) return 'controlChars';
  if (TABS_AND_LINE_BREAKS.test(value) && !(field !== undefined && MULTILINE_FIELDS.has(fieldKey(field)))) return 'lineBreaks';
  return null;
}

/**
 * Field errors for every string in parsed input (nested objects and lists too; keys joined with
 * dots like fieldCodes) that holds a forbidden character; empty when all are clean.
 */
export function textFieldCodes(data: unknown): FieldMessages {
  const out: FieldMessages = {};
  const walk = (value: unknown, path: Array<string | number>, field: string | undefined) => {
    if (typeof value === 'string') {
      const problem = textProblem(value, field);
      if (problem) (out[path.length ? path.join('.') : 'non_field_errors'] ??= []).push(msg(problem));
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
