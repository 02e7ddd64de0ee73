// The one base class of every commerce error (domain rules, services and payment gateways): a
// DomainError (src/modules/shared/errors.ts) whose code is in the commerce catalogue
// (../commerce.messages.ts). It carries no text of its own: the code, the form of its text, the
// values the text needs, and `details`, the JSON-safe keys the public API answers next to the
// message. The edges (defineRoute, the panel's inPanelLanguage) translate it:
//   field errors (`fields`)  → 400 {"field": ["message"]}
//   not_found                → 404 {"detail": "..."}
//   anything else            → its kind's status {"message": "...", "code": "...", ...details}
import { DomainError, STATUS_OF, type ErrorKind, type FieldMessages } from '../../shared/errors.js';
import type { Vars } from '../../shared/messages.js';
import type { CommerceCode, CommerceForm } from '../commerce.messages.js';

export interface CommerceErrorOptions<C extends CommerceCode> {
  /** Which of the code's texts (codes with several, commerce.messages.ts `forms`); none = the default. */
  form?: CommerceForm<C>;
  /** Values only the text needs (the answer's keys are `details`, which the text may use too). */
  vars?: Vars;
  /** Field errors (codes): the API answers 400 {"field": ["message"]} and nothing else. */
  fields?: FieldMessages;
}

export class CommerceError<C extends CommerceCode = CommerceCode> extends DomainError {
  declare readonly code: C;
  /** The keys the API answers next to `message` and `code` (never card data, never secrets). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(kind: ErrorKind, code: C, details: Record<string, unknown> = {}, opts: CommerceErrorOptions<C> = {}) {
    const answered = kind === 'not_found' || opts.fields ? {} : { code, ...details };
    super(kind, code, { ...details, ...opts.vars, ...(opts.form ? { form: opts.form } : {}) }, { fields: opts.fields, extra: answered });
    this.name = new.target.name;
    this.details = details;
  }

  /** The status the API answers with (a client's refusal < 500, upstream trouble ≥ 500). */
  get httpStatus(): number {
    return STATUS_OF[this.kind];
  }
}
