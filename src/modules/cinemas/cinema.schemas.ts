// Cinemas and showtimes as staff write them: the admin forms and the showtime CSV import validate
// with these schemas (snake_case keys, as the API and the CSV name the fields).
import { z } from 'zod';
import { idParam } from '../shared/validation.js';
import { CINEMA_TYPES } from './cinema.entities.js';
import { isIsoDate, normalizeTime } from './local-time.js';

export const SHOWTIME_CSV_COLUMNS = ['cinema_id', 'movie_id', 'date', 'start_time', 'end_time', 'info', 'total_seats', 'seats', 'url'] as const;
export const SHOWTIME_CSV_REQUIRED = ['cinema_id', 'movie_id', 'date', 'start_time'] as const;

const blankToUndefined = (v: unknown) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v);

const timeOfDay = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const t = typeof v === 'string' ? normalizeTime(v) : null;
  if (!t) {
    ctx.addIssue({ code: 'custom', message: 'i18n:time' });
    return z.NEVER;
  }
  return t;
});

const localDate = z
  .string()
  .trim()
  .refine(isIsoDate, 'i18n:date');

const seatCount = z
  .union([z.number(), z.string().trim().regex(/^\d+$/, 'i18n:integer')])
  .transform((v) => Number(v))
  .pipe(z.number().int().min(0).max(100_000));

const httpUrl = z
  .string()
  .trim()
  .max(500)
  .pipe(z.url({ protocol: /^https?$/ }));

/** One showtime as written by staff (CSV columns = these keys). */
export const showtimeInput = z
  .object({
    cinema_id: idParam,
    movie_id: idParam,
    date: localDate,
    start_time: timeOfDay,
    end_time: z.preprocess(blankToUndefined, timeOfDay.optional()),
    info: z.preprocess((v) => blankToUndefined(v) ?? '', z.string().trim().max(100)),
    total_seats: z.preprocess(blankToUndefined, seatCount.optional()),
    seats: z.preprocess(blankToUndefined, seatCount.optional()),
    url: z.preprocess(blankToUndefined, httpUrl.optional()),
  })
  .refine((r) => r.seats === undefined || r.total_seats === undefined || r.seats <= r.total_seats, { message: 'i18n:seatsOverTotal', path: ['seats'] });

export type ShowtimeInput = z.output<typeof showtimeInput>;

const coordinate = (min: number, max: number) =>
  z
    .union([z.number(), z.string().trim().regex(/^[-+]?(\d+(\.\d*)?|\.\d+)$/, 'i18n:number').transform(Number)])
    .pipe(z.number().min(min).max(max));
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().max(max).optional());

/** A cinema (seed 004's Cinema model); x = longitude, y = latitude. */
export const cinemaInput = z.object({
  region: z.string().trim().min(1).max(20),
  area: z.string().trim().min(1).max(20),
  name: z.string().trim().min(1).max(100),
  code: optionalText(20),
  tel: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[0-9+\-() ]{3,30}$/, 'i18n:invalid')
      .optional(),
  ),
  address: z.string().trim().min(1).max(300),
  x: coordinate(-180, 180),
  y: coordinate(-90, 90),
  url: z.preprocess(blankToUndefined, httpUrl.optional()),
  public: optionalText(10_000),
  parking: optionalText(10_000),
  type: z.enum(CINEMA_TYPES),
  img: z.preprocess(blankToUndefined, httpUrl.optional()),
});


export type CinemaInput = z.output<typeof cinemaInput>;
