// The catalog in the panel (navigation group "Catalog"): movies, genres, people, production
// companies, the movie↔genre and movie↔person join records, and contents.
// Catalog staff and admins write; finance reads (list/show/search only). Every write is validated
// in a `before` hook (property errors on the form, nothing written) and audited.
import { rm } from 'node:fs/promises';
import type { ActionContext, ActionRequest, ActionResponse, Before, ResourceWithOptions } from 'adminjs';
import { EditAction, NotFoundError, ValidationError } from 'adminjs';
import { z } from 'zod';
import type { BaseEntity, FindOptionsWhere } from 'typeorm';
import { HttpError, ValidationError as HttpValidationError } from '../../src/http/errors.js';
import { idParam } from '../../src/http/validation.js';
import { movieBody } from '../../src/modules/catalog/catalog.routes.js';
import { Content, CONTENT_STATUSES } from '../../src/modules/catalog/content.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Manufacturer, PARTNERSHIP_STATUSES } from '../../src/modules/catalog/manufacturer.entity.js';
import { CREDIT_ROLES, Movie, MovieCredit, MovieGenre, WATCH_GRADES } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import type { Services } from '../../src/runtime.js';
import type { ResourceName } from '../../src/http/rbac.js';
import { actorOf, permit } from '../access.js';
import { asActions, audited, type Actions } from '../audit.js';
import { Components } from '../components.js';
import { CompositeKeyResource, MovieResource, NotifyingResource } from './adapters.js';
import { onlyFields, toValidationError, validatePayload, type PropertyErrors } from './validate.js';

const CATALOG = { name: 'Catalog', icon: 'Film' };

const values = (list: readonly string[]) => list.map((v) => ({ value: v, label: v }));
const showOnly = { list: false, show: true, edit: false, filter: false };
const listAndShow = { list: true, show: true, edit: false, filter: true };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActionSpec = Record<string, any>;

/**
 * List/show/search for the roles that may read `rbac` in the role table, new/edit/delete for those
 * that may create/update/delete it, all writes audited under the panel resource id `resource`
 * (bulk delete is switched off by `audited`). A write whose handler calls a service that audits
 * in its own transaction is listed in `auditedByService`, so the change is logged once.
 */
function catalogActions(
  [resource, rbac]: [string, ResourceName],
  services: Services,
  writes: { new?: ActionSpec; edit?: ActionSpec; delete?: ActionSpec } = {},
  extra: Actions = {},
  auditedByService: Array<'new' | 'edit' | 'delete'> = [],
) {
  const reads = permit(rbac, 'read');
  const write = (action: 'create' | 'update' | 'delete', a: ActionSpec = {}) => ({ isAccessible: permit(rbac, action), isVisible: permit(rbac, action), ...a });
  const writers = { new: (a?: ActionSpec) => write('create', a), edit: (a?: ActionSpec) => write('update', a), delete: (a?: ActionSpec) => write('delete', a) };
  const { list, show, search, ...custom } = extra;
  const wrapped = audited(resource, services.audit, { new: writers.new(writes.new), edit: writers.edit(writes.edit), delete: writers.delete(writes.delete) });
  for (const name of auditedByService) wrapped[name] = writers[name](writes[name]);
  return asActions({
    list: { isAccessible: reads, isVisible: reads, ...list },
    show: { isAccessible: reads, isVisible: reads, ...show },
    search: { isAccessible: reads, ...search },
    ...wrapped,
    ...custom,
  });
}

// ---- checks shared by the hooks ------------------------------------------------------------------

type EntityClass = typeof BaseEntity;

/** References that do not exist: property → message. */
async function missingRefs(refs: Array<[prop: string, entity: EntityClass, id: unknown]>): Promise<PropertyErrors> {
  const errors: PropertyErrors = {};
  for (const [prop, entity, id] of refs) {
    if (id == null) continue;
    if (!(await entity.getRepository().existsBy({ id: Number(id) } as FindOptionsWhere<BaseEntity>))) errors[prop] = `There is no record #${id}.`;
  }
  return errors;
}

/** A unique name is free (the edited record itself excepted). */
async function nameTaken(entity: EntityClass, name: unknown, context: ActionContext): Promise<boolean> {
  if (typeof name !== 'string') return false;
  const found = await entity.getRepository().findOneBy({ name } as FindOptionsWhere<BaseEntity>);
  return !!found && String((found as unknown as { id: number }).id) !== String(context.record?.id() ?? '');
}

/** Deleting a record that join rows still use (RESTRICT) is refused with a message, not an SQL error. */
const refuseWhenLinked =
  (count: (id: number) => Promise<number>, message: (n: number) => string): Before =>
  async (request: ActionRequest, context: ActionContext) => {
    if (request.method !== 'post' || !context.record) return request;
    const n = await count(Number(context.record.id()));
    if (n > 0) throw new ValidationError({}, { type: 'linked', message: message(n) });
    return request;
  };

// ---- schemas ----------------------------------------------------------------------------------------

/** Movie fields as the API names them: the panel validates with the API's own schema (movieBody). */
const MOVIE_FIELDS = {
  name: 'name',
  nameEng: 'name_eng',
  summary: 'summary',
  openDate: 'open_date',
  runningTime: 'running_time',
  watchGrade: 'watch_grade',
  trailer: 'trailer',
  poster: 'poster',
  country: 'country',
  manufacturerId: 'manufacturer',
};

const nullable = <T extends z.ZodType>(s: T) => s.nullable().optional();
const isoDate = z.iso.date();

// The API's genre and company rules (catalog.routes.ts keeps them private; same limits here).
const genreSchema = z.object({ name: z.string().trim().min(1).max(50) });
const personSchema = z.object({ name: z.string().trim().min(1).max(100), nameEng: nullable(z.string().trim().max(100)) });
const manufacturerSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    contactPerson: nullable(z.string().trim().max(100)),
    phone: nullable(
      z
        .string()
        .trim()
        .max(30)
        .regex(/^[0-9+\-() ]{3,30}$/, 'i18n:invalid'),
    ),
    email: nullable(z.string().trim().max(254).pipe(z.email())),
    address: nullable(z.string().trim().max(300)),
    partnershipStatus: z.enum(PARTNERSHIP_STATUSES).default('prospect'),
    partnershipNotes: nullable(z.string().max(10_000)),
    partnershipStartedOn: nullable(isoDate),
    partnershipEndedOn: nullable(isoDate),
  })
  .refine((b) => !b.partnershipStartedOn || !b.partnershipEndedOn || b.partnershipEndedOn >= b.partnershipStartedOn, {
    message: 'i18n:endBeforeStart',
    path: ['partnershipEndedOn'],
  });
const movieGenreSchema = z.object({ movieId: idParam, genreId: idParam });
const position = z
  .union([z.number(), z.string().regex(/^\d+$/, 'i18n:integer')])
  .transform((v) => Number(v))
  .pipe(z.number().int().min(0).max(100_000));
const movieCreditSchema = z.object({ movieId: idParam, personId: idParam, role: z.enum(CREDIT_ROLES), position: position.default(0) });
const dateTime = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) {
    ctx.addIssue({ code: 'custom', message: 'i18n:datetime' });
    return z.NEVER;
  }
  return d;
});
const validitySchema = z
  .object({ validFrom: dateTime.optional(), validUntil: dateTime.optional() })
  .refine((b) => !b.validFrom || !b.validUntil || b.validUntil > b.validFrom, { message: 'Must be after "valid from".', path: ['validUntil'] });

const identity = (...props: string[]) => Object.fromEntries(props.map((p) => [p, p]));
/** A date picker may send an ISO timestamp for a date-only property: keep the date. */
const dateOnly = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? v.slice(0, 10) : v instanceof Date ? v.toISOString().slice(0, 10) : v);

// ---- contents uploads ----------------------------------------------------------------------------

/** A file as express-formidable (formidable 1) hands it over in the action payload. */
interface UploadedFile {
  path: string;
  name?: string | null;
  type?: string | null;
  size?: number;
}
const uploadedFile = (v: unknown): UploadedFile | null => {
  const f = Array.isArray(v) ? v[0] : v;
  return f && typeof f === 'object' && typeof (f as UploadedFile).path === 'string' ? (f as UploadedFile) : null;
};
const removeTemp = async (f: UploadedFile | null) => {
  if (f) await rm(f.path, { force: true }).catch(() => undefined);
};

/** The service's HTTP errors, as the panel shows errors (snake_case API fields → properties). */
function panelError(err: unknown, fieldMap: Record<string, string> = {}): ValidationError | null {
  if (err instanceof HttpValidationError) {
    const errors: PropertyErrors = {};
    let base: string | undefined;
    for (const [field, messages] of Object.entries(err.fields)) {
      const prop = fieldMap[field] ?? field;
      if (field === 'non_field_errors' || field === 'message') base = messages.join(' ');
      else errors[prop] = messages.join(' ');
    }
    return toValidationError(errors, base);
  }
  if (err instanceof HttpError) return new ValidationError({}, { type: 'invalid', message: err.message });
  return null;
}

// ---- resources ---------------------------------------------------------------------------------------

/** The movies of join rows the panel wrote (their cached public projections go). */
const movieIdsOf = (rows: Array<Record<string, unknown>>) => [...new Set(rows.map((r) => Number(r.movieId)).filter(Number.isInteger))];

export function catalogResources(services: Services): ResourceWithOptions[] {
  return [movies(services), genres(services), people(services), manufacturers(services), movieGenres(services), movieCredits(services), contents(services)];
}

function movies(services: Services): ResourceWithOptions {
  const validate = validatePayload(movieBody, MOVIE_FIELDS, {
    prepare: (raw) => ({ ...raw, openDate: dateOnly(raw.openDate) }),
    check: (v) => missingRefs([['manufacturerId', Manufacturer, v.manufacturerId]]),
  });
  return {
    resource: new MovieResource(Movie, (ids) => services.catalog.reindexTitles(ids)),
    options: {
      id: 'movies',
      navigation: CATALOG,
      titleProperty: 'name',
      properties: {
        name: { isTitle: true, isRequired: true, description: 'Title (up to 200 characters).' },
        nameEng: { description: 'English title.' },
        poster: { components: { list: Components.Poster, show: Components.Poster }, description: 'http(s) URL of the poster image.' },
        trailer: { description: 'http(s) URL of the trailer.' },
        summary: { type: 'textarea' },
        openDate: { type: 'date' },
        runningTime: { type: 'number', description: 'Minutes (a whole number).' },
        watchGrade: { availableValues: values(WATCH_GRADES) },
        country: { description: 'ISO 3166-1 alpha-2 code, e.g. KR or US.' },
        manufacturerId: { reference: 'manufacturers' },
        // Virtual: a list filter served by MovieResource through movie_genres.
        genre: { type: 'reference', reference: 'genres', isVisible: { list: false, show: false, edit: false, filter: true } },
        genres: { components: { show: Components.MovieRelations }, isVisible: showOnly },
        credits: { components: { show: Components.MovieRelations }, isVisible: showOnly },
        ratingCount: { isVisible: showOnly },
        ratingSumHalf: { isVisible: false },
        movielensId: { isVisible: showOnly },
        createdAt: { isVisible: showOnly },
        updatedAt: { isVisible: showOnly },
      },
      listProperties: ['id', 'poster', 'name', 'nameEng', 'openDate', 'watchGrade', 'country', 'manufacturerId'],
      filterProperties: ['name', 'genre', 'watchGrade', 'openDate', 'manufacturerId', 'country'],
      editProperties: ['name', 'nameEng', 'summary', 'openDate', 'runningTime', 'watchGrade', 'poster', 'trailer', 'country', 'manufacturerId'],
      showProperties: ['id', 'poster', 'name', 'nameEng', 'summary', 'openDate', 'runningTime', 'watchGrade', 'country', 'manufacturerId', 'trailer', 'genres', 'credits', 'ratingCount', 'movielensId', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: catalogActions(['movies', 'movies'], services, { new: { before: validate }, edit: { before: validate } }, { list: { component: Components.MovieList } }),
      translations: {
        en: {
          labels: { movies: 'Movies' },
          properties: { nameEng: 'English title', manufacturerId: 'Manufacturer', genre: 'Genre', genres: 'Genres', credits: 'Directors and actors', openDate: 'Open date', runningTime: 'Running time (min)', watchGrade: 'Watch grade', ratingCount: 'Ratings', movielensId: 'MovieLens id' },
        },
      },
    },
  };
}

function genres(services: Services): ResourceWithOptions {
  const validate = validatePayload(genreSchema, identity('name'), {
    check: async (v, ctx): Promise<PropertyErrors> => ((await nameTaken(Genre, v.name, ctx)) ? { name: 'A genre with this name already exists.' } : {}),
  });
  return {
    resource: new NotifyingResource(Genre, () => services.catalog.externalChange({ all: true })),
    options: {
      id: 'genres',
      navigation: CATALOG,
      titleProperty: 'name',
      properties: { name: { isTitle: true, isRequired: true }, createdAt: { isVisible: listAndShow } },
      listProperties: ['id', 'name', 'createdAt'],
      filterProperties: ['name'],
      editProperties: ['name'],
      showProperties: ['id', 'name', 'createdAt'],
      sort: { sortBy: 'id', direction: 'asc' },
      actions: catalogActions(['genres', 'genres'], services, {
        new: { before: validate },
        edit: { before: validate },
        delete: { before: refuseWhenLinked((id) => MovieGenre.countBy({ genreId: id }), (n) => `The genre still has ${n} movie(s): remove them from it (Movie genres) first.`) },
      }),
      translations: { en: { labels: { genres: 'Genres' } } },
    },
  };
}

function people(services: Services): ResourceWithOptions {
  const validate = validatePayload(personSchema, identity('name', 'nameEng'));
  return {
    resource: new NotifyingResource(Person, () => services.catalog.externalChange({ all: true })),
    options: {
      id: 'people',
      navigation: CATALOG,
      titleProperty: 'name',
      properties: { name: { isTitle: true, isRequired: true }, createdAt: { isVisible: showOnly } },
      listProperties: ['id', 'name', 'nameEng'],
      filterProperties: ['name', 'nameEng'],
      editProperties: ['name', 'nameEng'],
      showProperties: ['id', 'name', 'nameEng', 'createdAt'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: catalogActions(['people', 'people'], services, {
        new: { before: validate },
        edit: { before: validate },
        delete: { before: refuseWhenLinked((id) => MovieCredit.countBy({ personId: id }), (n) => `This person still has ${n} credit(s): remove them (Movie credits) first.`) },
      }),
      translations: { en: { labels: { people: 'People' }, properties: { nameEng: 'English name' } } },
    },
  };
}

function manufacturers(services: Services): ResourceWithOptions {
  const fields = identity('name', 'contactPerson', 'phone', 'email', 'address', 'partnershipStatus', 'partnershipNotes', 'partnershipStartedOn', 'partnershipEndedOn');
  const validate = validatePayload(manufacturerSchema, fields, {
    prepare: (raw) => ({ ...raw, partnershipStartedOn: dateOnly(raw.partnershipStartedOn), partnershipEndedOn: dateOnly(raw.partnershipEndedOn) }),
    check: async (v, ctx): Promise<PropertyErrors> => ((await nameTaken(Manufacturer, v.name, ctx)) ? { name: 'A company with this name already exists.' } : {}),
  });
  return {
    resource: new NotifyingResource(Manufacturer, () => services.catalog.externalChange({ all: true })),
    options: {
      id: 'manufacturers',
      navigation: CATALOG,
      titleProperty: 'name',
      properties: {
        name: { isTitle: true, isRequired: true },
        partnershipStatus: { availableValues: values(PARTNERSHIP_STATUSES) },
        partnershipNotes: { type: 'textarea' },
        partnershipStartedOn: { type: 'date' },
        partnershipEndedOn: { type: 'date' },
        createdAt: { isVisible: showOnly },
        updatedAt: { isVisible: showOnly },
      },
      listProperties: ['id', 'name', 'partnershipStatus', 'contactPerson', 'email', 'phone'],
      filterProperties: ['name', 'partnershipStatus', 'contactPerson', 'email'],
      editProperties: Object.keys(fields),
      showProperties: ['id', ...Object.keys(fields), 'createdAt', 'updatedAt'],
      sort: { sortBy: 'id', direction: 'asc' },
      // Deleting a company keeps its movies: the foreign key empties their company (ON DELETE SET NULL).
      actions: catalogActions(['manufacturers', 'manufacturers'], services, { new: { before: validate }, edit: { before: validate } }),
      translations: { en: { labels: { manufacturers: 'Manufacturers' } } },
    },
  };
}

function movieGenres(services: Services): ResourceWithOptions {
  const validate = validatePayload(movieGenreSchema, identity('movieId', 'genreId'), {
    check: (v) => missingRefs([['movieId', Movie, v.movieId], ['genreId', Genre, v.genreId]]),
  });
  return {
    resource: new CompositeKeyResource(MovieGenre, ['movieId', 'genreId'], (rows) => services.catalog.externalChange({ ids: movieIdsOf(rows), lists: true })),
    options: {
      id: 'movie_genres',
      navigation: CATALOG,
      properties: {
        key: { isVisible: { list: false, show: true, edit: false, filter: false } },
        movieId: { reference: 'movies', isRequired: true, isSortable: true },
        genreId: { reference: 'genres', isRequired: true },
      },
      listProperties: ['movieId', 'genreId'],
      filterProperties: ['movieId', 'genreId'],
      editProperties: ['movieId', 'genreId'],
      showProperties: ['movieId', 'genreId'],
      sort: { sortBy: 'movieId', direction: 'desc' },
      actions: catalogActions(['movie_genres', 'movie-genres'], services, { new: { before: validate }, edit: { before: validate } }),
      translations: { en: { labels: { movie_genres: 'Movie genres' }, properties: { movieId: 'Movie', genreId: 'Genre' } } },
    },
  };
}

function movieCredits(services: Services): ResourceWithOptions {
  const validate = validatePayload(movieCreditSchema, identity('movieId', 'personId', 'role', 'position'), {
    check: (v) => missingRefs([['movieId', Movie, v.movieId], ['personId', Person, v.personId]]),
  });
  return {
    resource: new CompositeKeyResource(MovieCredit, ['movieId', 'personId', 'role'], (rows) => services.catalog.externalChange({ ids: movieIdsOf(rows) })),
    options: {
      id: 'movie_credits',
      navigation: CATALOG,
      properties: {
        key: { isVisible: { list: false, show: true, edit: false, filter: false } },
        movieId: { reference: 'movies', isRequired: true, isSortable: true },
        personId: { reference: 'people', isRequired: true },
        role: { availableValues: values(CREDIT_ROLES), isRequired: true },
        position: { type: 'number', description: 'Billing order (0 first).' },
      },
      listProperties: ['movieId', 'personId', 'role', 'position'],
      filterProperties: ['movieId', 'personId', 'role'],
      editProperties: ['movieId', 'personId', 'role', 'position'],
      showProperties: ['movieId', 'personId', 'role', 'position'],
      sort: { sortBy: 'movieId', direction: 'desc' },
      actions: catalogActions(['movie_credits', 'movie-credits'], services, { new: { before: validate }, edit: { before: validate } }),
      translations: { en: { labels: { movie_credits: 'Movie credits' }, properties: { movieId: 'Movie', personId: 'Person' } } },
    },
  };
}

/** AdminJS's own edit handler (a function in AdminJS 7). */
const defaultEdit = EditAction.handler as (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;

function contents(services: Services): ResourceWithOptions {
  const validity = validatePayload(validitySchema, identity('validFrom', 'validUntil'));

  /** The validity window through the contents service (its rule, its status change, its audit entry). */
  const editHandler = async (request: ActionRequest, response: unknown, context: ActionContext): Promise<ActionResponse> => {
    if (request.method !== 'post') return defaultEdit(request, response, context);
    const { record, resource, currentAdmin, h } = context;
    if (!record) throw new NotFoundError('The content does not exist.', 'Action#handler');
    const date = (v: unknown) => (v instanceof Date ? v : null);
    try {
      await services.contents.setValidity(Number(record.id()), { valid_from: date(request.payload?.validFrom), valid_until: date(request.payload?.validUntil) }, actorOf(context), 'en');
    } catch (err) {
      throw panelError(err, { valid_from: 'validFrom', valid_until: 'validUntil' }) ?? err;
    }
    const fresh = (await resource.findOne(String(record.id()), context)) ?? record;
    return {
      redirectUrl: h.recordActionUrl({ resourceId: 'contents', recordId: String(record.id()), actionName: 'show' }),
      notice: { message: 'successfullyUpdated', type: 'success' },
      record: fresh.toJSON(currentAdmin),
    };
  };

  /** Resource action "Upload": multipart form → formidable temp file → ContentsService.createFromFile (which reads it; we remove it). */
  const uploadHandler = async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    if (request.method !== 'post') return {};
    const payload = request.payload ?? {};
    const file = uploadedFile(payload.file);
    try {
      const errors: PropertyErrors = {};
      if (!file || !file.size) errors.file = 'Choose a non-empty file.';
      const rawTitle = typeof payload.title === 'string' ? payload.title.trim() : '';
      const title = rawTitle || (file?.name ?? '').replace(/\.[^.]+$/, '').trim();
      if (!title) errors.title = 'This field is required.';
      else if (title.length > 200) errors.title = 'Ensure this field has no more than 200 characters.';
      let movieId: number | null = null;
      if (payload.movieId != null && String(payload.movieId).trim() !== '') {
        const parsed = idParam.safeParse(String(payload.movieId).trim());
        if (!parsed.success) errors.movieId = 'A valid integer is required.';
        else {
          movieId = parsed.data;
          Object.assign(errors, await missingRefs([['movieId', Movie, movieId]]));
        }
      }
      if (Object.keys(errors).length) {
        return { notice: { message: 'thereWereValidationErrors', type: 'error' }, errors: Object.fromEntries(Object.entries(errors).map(([k, message]) => [k, { message }])) };
      }
      let content: { id: number };
      try {
        // The service streams the file into storage, creates the row and queues the probe (audited there).
        content = await services.contents.createFromFile(file!.path, { originalName: file!.name ?? null, title, movieId, uploadedBy: actorOf(context), lang: 'en' });
      } catch (err) {
        const e = panelError(err, { movie: 'movieId', movie_id: 'movieId' });
        if (!e) throw err;
        const errs = Object.fromEntries(Object.entries(e.propertyErrors).map(([k, v]) => [k, { message: v.message }]));
        return { notice: { message: e.baseError?.message ?? 'thereWereValidationErrors', type: 'error' }, errors: errs };
      }
      return {
        notice: { message: `Uploaded "${title}".`, type: 'success' },
        redirectUrl: context.h.recordActionUrl({ resourceId: 'contents', recordId: String(content.id), actionName: 'show' }),
        record: { id: String(content.id) },
      };
    } finally {
      await removeTemp(file);
    }
  };

  return {
    resource: Content,
    options: {
      id: 'contents',
      navigation: CATALOG,
      titleProperty: 'title',
      properties: {
        title: { isTitle: true },
        movieId: { reference: 'movies' },
        status: { availableValues: values(CONTENT_STATUSES) },
        metadata: { type: 'mixed', components: { show: Components.JsonView }, isVisible: showOnly },
        validFrom: { type: 'datetime' },
        validUntil: { type: 'datetime' },
        storageKey: { isVisible: showOnly },
        sha256: { isVisible: showOnly },
        sizeBytes: { isVisible: showOnly },
        createdAt: { isVisible: listAndShow },
        updatedAt: { isVisible: showOnly },
      },
      listProperties: ['id', 'title', 'movieId', 'status', 'validUntil'],
      filterProperties: ['title', 'movieId', 'status', 'validUntil', 'createdAt'],
      editProperties: ['validFrom', 'validUntil'],
      showProperties: ['id', 'title', 'movieId', 'status', 'statusReason', 'validFrom', 'validUntil', 'originalName', 'mimeType', 'sizeBytes', 'sha256', 'storageKey', 'metadata', 'uploadedBy', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: catalogActions(
        ['contents', 'contents'],
        services,
        {
          // Contents come from files: the generic form is off, "Upload" replaces it.
          new: { isAccessible: false, isVisible: false },
          // Only the validity window is edited here (ContentsService.setValidity audits it).
          edit: { before: [onlyFields(['validFrom', 'validUntil']), validity], handler: editHandler },
          // A row deleted here would leave its stored file behind: the contents service has no delete yet.
          delete: { isAccessible: false, isVisible: false },
        },
        {
          upload: {
            actionType: 'resource',
            icon: 'Upload',
            label: 'Upload',
            isAccessible: permit('contents', 'upload'),
            isVisible: permit('contents', 'upload'),
            component: Components.ContentUpload,
            // The temp file of a refused upload is removed at once (the access check comes after `before`).
            before: async (request: ActionRequest, context: ActionContext) => {
              if (!permit('contents', 'upload')(context)) await removeTemp(uploadedFile(request.payload?.file));
              return request;
            },
            handler: uploadHandler,
          },
        },
        ['edit'],
      ),
      translations: { en: { labels: { contents: 'Contents' }, actions: { upload: 'Upload' }, properties: { movieId: 'Movie', validFrom: 'Valid from', validUntil: 'Valid until' } } },
    },
  };
}
