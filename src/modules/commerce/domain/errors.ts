// The one base class of every commerce error (domain rules and payment gateways).
//
// Each error carries a stable machine `code`, the HTTP status the public API should answer with
// (`httpStatus`) and JSON-safe `details`. Routes map it in one place, e.g.
//   if (err instanceof CommerceError) throw new HttpError(err.httpStatus, { message: err.message, code: err.code, ...err.details });
// Messages are English (the admin panel shows them as they are); the public API answers in the
// request's language through the catalogue in ../messages.ts (by `code`), so a new code needs an entry there.

export class CommerceError extends Error {
  constructor(
    /** Stable, snake_case, safe to show to API clients. */
    public readonly code: string,
    message: string,
    /** What the public API answers with (400 bad input, 409 state conflict, 5xx upstream trouble). */
    public readonly httpStatus: number,
    /** Extra JSON-safe fields for the response body (never card data, never secrets). */
    public readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
