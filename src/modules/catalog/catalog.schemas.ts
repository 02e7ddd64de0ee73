// The catalog's write schemas, once: the public API's bodies (catalog.routes.ts, which also
// documents them in OpenAPI) and the panel's forms (admin/resources/catalog.ts) validate with these,
// and map them to the service's inputs with the same functions.
import { z } from 'zod';
import { idParam } from '../shared/validation.js';
import type { ManufacturerInput, MovieInput } from './catalog.service.js';
import { PARTNERSHIP_STATUSES } from './manufacturer.entity.js';
import { CREDIT_ROLES, WATCH_GRADES } from './movie.entity.js';
import { STORED_POSTER } from './posters.js';

const isoDate = z.iso.date();
const httpUrl = z
  .string()
  .trim()
  .max(500)
  .pipe(z.url({ protocol: /^https?$/ }));
const nullable = <T extends z.ZodType>(s: T) => s.nullable().optional();
/** A poster: an http(s) URL, or the path of one uploaded in the panel (`/media/posters/<random>.<ext>`). */
const posterUrl = z
  .string()
  .trim()
  .max(500)
  .superRefine((v, ctx) => {
    if (STORED_POSTER.test(v)) return;
    // Otherwise the URL rule's own message ("Enter a valid URL.").
    const url = httpUrl.safeParse(v);
    if (!url.success) for (const issue of url.error.issues) ctx.addIssue({ ...issue, path: [] } as never);
  });

/** Minutes as a number, or the seed's display form "139분". */
const runningTime = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : /^\s*\d+\s*(분)?\s*$/.test(v) ? parseInt(v, 10) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      ctx.addIssue({ code: 'custom', message: 'i18n:badRunningTime' });
      return z.NEVER;
    }
    return n;
  });

/** Billing order of a credit (0 first). */
const position = z
  .union([z.number(), z.string().regex(/^\d+$/, 'i18n:integer')])
  .transform((v) => Number(v))
  .pipe(z.number().int().min(0).max(100_000));

/** One credit of a movie's list (the movie form): person, role, the part played, billing order. */
const creditItem = z.object({ person: idParam, role: z.enum(CREDIT_ROLES), character: nullable(z.string().trim().max(200)), position: position.default(0) });

const personRef = z.union([idParam, z.string().trim().min(1).max(100)]);

export const movieBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    name_eng: nullable(z.string().trim().max(200)),
    summary: nullable(z.string().max(10_000)),
    open_date: nullable(isoDate),
    running_time: nullable(runningTime),
    watch_grade: nullable(z.enum(WATCH_GRADES)),
    trailer: nullable(httpUrl),
    poster: nullable(posterUrl),
    country: nullable(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z]{2}$/, 'i18n:badCountry')
        .transform((c) => c.toUpperCase()),
    ),
    manufacturer: nullable(idParam),
    genres: z.array(idParam).max(20).optional(),
    directors: z.array(personRef).max(50).optional(),
    actors: z.array(personRef).max(200).optional(),
    /** Every credit in billing order (replaces directors and actors together); the panel's movie form sends it. */
    credits: z.array(creditItem).max(300).optional(),
  })
  .openapi('MovieWrite');

export type MovieBody = z.output<typeof movieBody>;

export function movieInput(b: MovieBody, extraGenre?: number): MovieInput {
  const genreIds = b.genres ?? (extraGenre ? [] : undefined);
  return {
    name: b.name,
    nameEng: b.name_eng,
    summary: b.summary,
    openDate: b.open_date,
    runningTime: b.running_time,
    watchGrade: b.watch_grade,
    trailer: b.trailer,
    poster: b.poster,
    country: b.country,
    manufacturerId: b.manufacturer,
    genreIds: genreIds && extraGenre && !genreIds.includes(extraGenre) ? [extraGenre, ...genreIds] : genreIds,
    directors: b.directors?.map((d) => (typeof d === 'string' && /^\d+$/.test(d) ? Number(d) : d)),
    actors: b.actors?.map((d) => (typeof d === 'string' && /^\d+$/.test(d) ? Number(d) : d)),
    credits: b.credits?.map((c) => ({ person: c.person, role: c.role, character: c.character ?? null, position: c.position })),
  };
}

export const manufacturerBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    contact_person: nullable(z.string().trim().max(100)),
    phone: nullable(
      z
        .string()
        .trim()
        .max(30)
        .regex(/^[0-9+\-() ]{3,30}$/, 'i18n:invalid'),
    ),
    email: nullable(z.string().trim().max(254).pipe(z.email())),
    address: nullable(z.string().trim().max(300)),
    partnership_status: z.enum(PARTNERSHIP_STATUSES).optional(),
    partnership_notes: nullable(z.string().max(10_000)),
    partnership_started_on: nullable(isoDate),
    partnership_ended_on: nullable(isoDate),
  })
  .refine((b) => !b.partnership_started_on || !b.partnership_ended_on || b.partnership_ended_on >= b.partnership_started_on, {
    message: 'i18n:endBeforeStart',
    path: ['partnership_ended_on'],
  })
  .openapi('ManufacturerWrite');

export function manufacturerInput(b: z.output<typeof manufacturerBody>): ManufacturerInput {
  return {
    name: b.name,
    contactPerson: b.contact_person,
    phone: b.phone,
    email: b.email,
    address: b.address,
    partnershipStatus: b.partnership_status,
    partnershipNotes: b.partnership_notes,
    partnershipStartedOn: b.partnership_started_on,
    partnershipEndedOn: b.partnership_ended_on,
  };
}

export const genreBody = z.object({ name: z.string().trim().min(1).max(50) }).openapi('GenreWrite');

/** A person of the credits (director or actor). */
export const personBody = z.object({ name: z.string().trim().min(1).max(100), name_eng: nullable(z.string().trim().max(100)) });
export type PersonBody = z.output<typeof personBody>;

/** A movie in a genre (the join record). */
export const movieGenreBody = z.object({ movie: idParam, genre: idParam });

/** A credit: a person's role in a movie, in billing order. */
export const movieCreditBody = z.object({ movie: idParam, person: idParam, role: z.enum(CREDIT_ROLES), character: nullable(z.string().trim().max(200)), position: position.default(0) });
export type MovieCreditBody = z.output<typeof movieCreditBody>;
