// Panel new/edit through the owning module's service: the form's values are parsed with the same
// zod schema as the public API's body (the module's *.schemas.ts), then the service writes — with
// its rules, its row locks and its audit entry. Schema and service field errors come back next to
// the form's fields (the API's snake_case keys mapped to the panel's properties); nothing is
// written by the generic adapter.
import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';
import { NotFoundError } from 'adminjs';
import type { z } from 'zod';
import type { AuthUser } from '../src/http/auth.js';
import { HttpError, toHttpError, ValidationError as HttpValidationError } from '../src/http/errors.js';
import { fieldErrors, textFieldErrors } from '../src/http/validation.js';
import type { Lang } from '../src/modules/shared/messages.js';
import type { AdminSessionUser } from './access.js';
import { panelText } from './locale/index.js';
import type { FieldMap } from './resources/validate.js';

type Values = Record<string, unknown>;
/** `list`: a list of objects, as AdminJS flattens it (`credits.0.person`, `credits.0.role` …). */
export type FieldKind = 'text' | 'number' | 'nullable' | 'date' | 'array' | 'list';

/** What a service error says, for the form: field messages (API keys) and/or one message. */
export interface FormError {
  fields?: Record<string, string[]>;
  message: string;
}

export interface ServiceFormOptions {
  resourceId: string;
  /** panel property → API key; the properties the form may write. */
  fields: FieldMap;
  /** How a property's text becomes JSON (default: text). `nullable` = a whole number or, blank, null. */
  kinds?: Record<string, FieldKind>;
  createSchema: z.ZodType;
  updateSchema: z.ZodType;
  /** Properties the edit form shows but may not change (codes other records refer to). */
  fixedOnEdit?: string[];
  /** Edit: properties the payload leaves out keep the record's values (for schemas of the whole record). */
  mergeCurrentOnEdit?: boolean;
  /** Adjusts the form's values before they are read (e.g. a date picker's datetime to a date). */
  prepare?: (payload: Values) => Values;
  /** The service's delete, for the panel's delete action. */
  remove?(staff: AuthUser, id: string): Promise<unknown>;
  create(staff: AuthUser, input: Values): Promise<{ id: number | string }>;
  /** `id`: the panel's record id (a number, or a composite key such as `12-3`). */
  update(staff: AuthUser, id: string, input: Values): Promise<unknown>;
  /** A service error as form errors (the panel's own words in `lang`), or null to let it through (a 500 for a bug). */
  explain(err: unknown, lang: Lang): FormError | null;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const INT = /^-?\d+$/;

/** The signed-in staff member as the services know users. */
export function staffOf(context: ActionContext): AuthUser {
  const a = context.currentAdmin as AdminSessionUser | undefined;
  if (!a) throw new NotFoundError('Not signed in.', context.action.name);
  return { id: Number(a.id), email: a.email, role: a.role, username: a.email };
}

/**
 * The form's strings as the API's JSON would carry them: whole numbers as numbers, the date
 * pickers' values as ISO strings, booleans, arrays from AdminJS's flattened `name.0`, `name.1` keys.
 * A blank field is left out on edit (unchanged) and null on create where the schema allows it.
 */
/** `prop.N.field` keys as a list of objects in index order (strings trimmed; blank → null). */
function listOf(payload: Values, prop: string): Values[] {
  const rows = new Map<number, Values>();
  for (const [k, v] of Object.entries(payload)) {
    const m = new RegExp(`^${prop}\\.(\\d+)\\.([A-Za-z_]+)$`).exec(k);
    if (!m) continue;
    const row = rows.get(Number(m[1])) ?? rows.set(Number(m[1]), {}).get(Number(m[1]))!;
    row[m[2]!] = isBlank(v) ? null : typeof v === 'string' ? v.trim() : v;
  }
  return [...rows].sort(([a], [b]) => a - b).map(([, row]) => row);
}

function toApiInput(payload: Values, fields: FieldMap, kinds: Record<string, FieldKind>, editing: boolean): Values {
  const input: Values = {};
  for (const [prop, key] of Object.entries(fields)) {
    const flat = Object.keys(payload).filter((k) => k.startsWith(`${prop}.`)).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
    const kind = kinds[prop] ?? 'text';
    if (kind === 'list') {
      // Left out → unchanged; an emptied list arrives as [] (AdminJS's empty-array marker).
      if (flat.length || prop in payload) input[key] = listOf(payload, prop);
      continue;
    }
    if (flat.length || kind === 'array') {
      if (flat.length || prop in payload) input[key] = flat.map((k) => String(payload[k]).trim()).filter(Boolean);
      continue;
    }
    if (!(prop in payload)) continue;
    const raw = payload[prop];
    if (isBlank(raw)) {
      if (!editing || kind === 'nullable') input[key] = kind === 'nullable' ? null : undefined;
      continue;
    }
    const s = String(raw).trim();
    if (kind === 'number' || kind === 'nullable') input[key] = INT.test(s) ? Number(s) : s;
    else if (kind === 'date') input[key] = Number.isNaN(Date.parse(s)) ? s : new Date(s).toISOString();
    else input[key] = s;
  }
  return input;
}

/**
 * The panel's language for messages: the staff member's setting (`currentAdmin.language`), else
 * PANEL_DEFAULT_LANG — Korean, the panel's default language (admin/locale).
 */
export const PANEL_DEFAULT_LANG: Lang = 'ko';
export function panelLang(context: Pick<ActionContext, 'currentAdmin'> | undefined): Lang {
  const language = (context?.currentAdmin as { language?: unknown } | undefined)?.language;
  return language === 'ko' || language === 'en' ? language : PANEL_DEFAULT_LANG;
}

/** A service's domain error in the staff member's language, shaped like the API's (other errors as they are). */
export function inPanelLanguage(err: unknown, context: Pick<ActionContext, 'currentAdmin'> | undefined): unknown {
  return toHttpError(err, panelLang(context));
}

/**
 * Refusals of the services that still throw HTTP-shaped errors (field errors, 404, 409); the
 * panel's own words in `lang` (a service's texts are already in it: inPanelLanguage).
 */
export function explainHttpErrors(err: unknown, lang: Lang = PANEL_DEFAULT_LANG): FormError | null {
  if (err instanceof HttpValidationError) {
    const { non_field_errors: base, ...fields } = err.fields;
    return { fields, message: base?.join(' ') ?? panelText(lang, 'formFixFields') };
  }
  if (err instanceof HttpError) {
    const body = err.body as { detail?: string; message?: string };
    return { message: String(body.detail ?? body.message ?? panelText(lang, 'refused')) };
  }
  return null;
}

export function serviceForm(o: ServiceFormOptions) {
  const propOf = Object.fromEntries(Object.entries(o.fields).map(([prop, key]) => [key, prop]));

  const failed = (context: ActionContext, payload: Values, e: FormError): ActionResponse => {
    const errors: Record<string, { type: string; message: string }> = {};
    for (const [key, messages] of Object.entries(e.fields ?? {})) {
      const [head, ...rest] = key.split('.');
      const prop = propOf[head!];
      if (!prop) continue;
      const message = messages.join(' ');
      // A row of a list (`credits.1.person`): the row's own key for the form's row, and the field's summary.
      if (rest.length) errors[[prop, ...rest].join('.')] = { type: 'invalid', message };
      const summary = rest.length && /^\d+$/.test(rest[0]!) ? panelText(panelLang(context), 'rowError', { row: Number(rest[0]) + 1, message }) : message;
      errors[prop] = { type: 'invalid', message: errors[prop] ? `${errors[prop].message} ${summary}` : summary };
    }
    const base = context.record ? context.record.toJSON(context.currentAdmin) : context.resource.build(payload).toJSON(context.currentAdmin);
    return { record: { ...base, params: { ...base.params, ...payload }, errors }, notice: { message: e.message, type: 'error' } };
  };

  const handler = (action: 'new' | 'edit') => async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    const { record, currentAdmin, h } = context;
    if (action === 'edit' && !record) throw new NotFoundError('The record does not exist any more.', 'edit');
    if (request.method !== 'post') return record ? { record: record.toJSON(currentAdmin) } : ({} as ActionResponse);
    let payload = (request.payload ?? {}) as Values;
    if (action === 'edit' && o.mergeCurrentOnEdit) payload = { ...(record!.params as Values), ...payload };
    if (o.prepare) payload = o.prepare(payload);
    const fields = action === 'edit' ? Object.fromEntries(Object.entries(o.fields).filter(([prop]) => !o.fixedOnEdit?.includes(prop))) : o.fields;
    const schema = action === 'edit' ? o.updateSchema : o.createSchema;
    const input = toApiInput(payload, fields, o.kinds ?? {}, action === 'edit');
    const parsed = schema.safeParse(input);
    if (!parsed.success) return failed(context, payload, { fields: fieldErrors(parsed.error.issues, input, panelLang(context)), message: panelText(panelLang(context), 'formFixFields') });
    // The API's text rule (src/modules/shared/validation.ts): no control characters or invalid Unicode.
    const text = textFieldErrors(parsed.data, panelLang(context));
    if (Object.keys(text).length) return failed(context, payload, { fields: text, message: panelText(panelLang(context), 'formFixFields') });
    let id: string;
    try {
      const staff = staffOf(context);
      if (action === 'new') id = String((await o.create(staff, parsed.data as Values)).id);
      else {
        id = String(record!.id());
        await o.update(staff, id, parsed.data as Values);
      }
    } catch (thrown) {
      const err = inPanelLanguage(thrown, context);
      const e = o.explain(err, panelLang(context));
      if (!e) throw err;
      return failed(context, payload, e);
    }
    const fresh = await context.resource.findOne(id);
    return {
      record: (fresh ?? record!).toJSON(currentAdmin),
      notice: { message: panelText(panelLang(context), action === 'new' ? 'created' : 'saved'), type: 'success' },
      redirectUrl: h.recordActionUrl({ resourceId: o.resourceId, recordId: id, actionName: 'show' }),
    };
  };

  const deleteHandler = async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    const { record, currentAdmin, h } = context;
    if (!record) throw new NotFoundError('The record does not exist any more.', 'delete');
    if (request.method !== 'post' || !o.remove) return { record: record.toJSON(currentAdmin) };
    try {
      await o.remove(staffOf(context), String(record.id()));
    } catch (thrown) {
      const err = inPanelLanguage(thrown, context);
      const e = o.explain(err, panelLang(context));
      if (!e) throw err;
      return { record: record.toJSON(currentAdmin), notice: { message: e.message, type: 'error' } };
    }
    return { record: record.toJSON(currentAdmin), notice: { message: panelText(panelLang(context), 'deleted'), type: 'success' }, redirectUrl: h.resourceUrl({ resourceId: o.resourceId }) };
  };

  return { newHandler: handler('new'), editHandler: handler('edit'), deleteHandler };
}
