// Validation of panel writes. A `before` hook of new/edit keeps only the editable fields of the
// payload (a form cannot set counters, ids or timestamps), validates them with a zod schema — the
// API's own schema where the catalog exports one — and hands AdminJS the parsed values. Failures
// are thrown as AdminJS ValidationErrors, so the form shows them next to each field and nothing
// is written.
import type { ActionContext, ActionRequest, Before } from 'adminjs';
import { ValidationError } from 'adminjs';
import type { z } from 'zod';
import { fieldErrors, textFieldErrors } from '../../src/http/validation.js';
import { panelLang } from '../service-form.js';

/** Admin property name → key in the schema (the API's snake_case names). */
export type FieldMap = Record<string, string>;

type Values = Record<string, unknown>;
export type PropertyErrors = Record<string, string>;

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

export interface ValidateOptions {
  /** Further checks on the parsed values (uniqueness, references): property → message. */
  check?: (values: Values, context: ActionContext) => Promise<PropertyErrors>;
  /** Adjusts raw form values before parsing (e.g. a date picker's ISO string to a date). */
  prepare?: (raw: Values) => Values;
}

export function toValidationError(errors: PropertyErrors, base?: string): ValidationError {
  const props = Object.fromEntries(Object.entries(errors).map(([k, message]) => [k, { type: 'invalid', message }]));
  return new ValidationError(props, base ? { type: 'invalid', message: base } : undefined);
}

/** The before hook for `new` and `edit` (on edit, fields the payload omits keep their values). */
export function validatePayload(schema: z.ZodType, fields: FieldMap, opts: ValidateOptions = {}): Before {
  return async (request: ActionRequest, context: ActionContext) => {
    if (request.method !== 'post') return request;
    const payload = (request.payload ?? {}) as Values;
    const current = (context.action.name === 'edit' && context.record ? context.record.params : {}) as Values;
    let raw: Values = {};
    for (const prop of Object.keys(fields)) raw[prop] = prop in payload ? payload[prop] : current[prop];
    if (opts.prepare) raw = opts.prepare(raw);
    const input: Values = {};
    for (const [prop, key] of Object.entries(fields)) input[key] = isBlank(raw[prop]) ? undefined : raw[prop];

    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const byKey = fieldErrors(parsed.error.issues, input, panelLang(context));
      const propOf = Object.fromEntries(Object.entries(fields).map(([prop, key]) => [key, prop]));
      const errors: PropertyErrors = {};
      let base: string | undefined;
      for (const [key, messages] of Object.entries(byKey)) {
        const prop = propOf[key.split('.')[0]];
        if (prop) errors[prop] = messages.join(' ');
        else base = messages.join(' ');
      }
      throw toValidationError(errors, base);
    }
    const data = parsed.data as Values;
    // The API's text rule (src/http/validation.ts): no control characters or invalid Unicode.
    const text = textFieldErrors(data, panelLang(context));
    if (Object.keys(text).length) {
      const propOf = Object.fromEntries(Object.entries(fields).map(([prop, key]) => [key, prop]));
      const errors: PropertyErrors = {};
      for (const [key, messages] of Object.entries(text)) errors[propOf[key.split('.')[0]] ?? key] = messages.join(' ');
      throw toValidationError(errors);
    }
    const values: Values = {};
    for (const [prop, key] of Object.entries(fields)) values[prop] = data[key] ?? null;
    if (opts.check) {
      const errors = await opts.check(values, context);
      if (Object.keys(errors).length) throw toValidationError(errors);
    }
    return { ...request, payload: values };
  };
}

/** A before hook that lets only these fields through (for writes with nothing to validate). */
export const onlyFields =
  (props: string[]): Before =>
  async (request: ActionRequest) => {
    if (request.method !== 'post' || !request.payload) return request;
    return { ...request, payload: Object.fromEntries(props.filter((p) => p in request.payload!).map((p) => [p, request.payload![p]])) };
  };
