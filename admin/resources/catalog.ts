// The catalog in the panel (navigation group "Catalog"): movies, genres, people, production
// companies, the movie↔genre and movie↔person join records, and contents.
// Catalog staff and admins write; finance reads (list/show/search only). Every write goes through
// the catalog (or contents) service with the API's schemas (catalog.schemas.ts): the same rules,
// the same field errors next to the form's fields, the service's audit entry and search index.
import { readFile, rm } from 'node:fs/promises';
import type { ActionContext, ActionRequest, ActionResponse, Before, ResourceWithOptions } from 'adminjs';
import { EditAction, NotFoundError, ValidationError } from 'adminjs';
import { z } from 'zod';
import { HttpError, ValidationError as HttpValidationError } from '../../src/http/errors.js';
import { idParam } from '../../src/http/validation.js';
import { genreBody, manufacturerBody, manufacturerInput, movieBody, movieCreditBody, movieGenreBody, movieInput, personBody, type MovieBody, type MovieCreditBody, type PersonBody } from '../../src/modules/catalog/catalog.schemas.js';
import { Content, CONTENT_STATUSES } from '../../src/modules/catalog/content.entity.js';
import { metadataBody } from '../../src/modules/catalog/contents.routes.js';
import { EDITABLE_METADATA_KEYS } from '../../src/modules/catalog/contents.service.js';
import { fieldErrors } from '../../src/http/validation.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Manufacturer, PARTNERSHIP_STATUSES } from '../../src/modules/catalog/manufacturer.entity.js';
import { CREDIT_ROLES, Movie, MovieCredit, MovieGenre, WATCH_GRADES, type CreditRole } from '../../src/modules/catalog/movie.entity.js';
import type { MovieRelations } from '../../src/modules/catalog/catalog.service.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import type { Services } from '../../src/runtime.js';
import type { ResourceName } from '../../src/modules/access/rbac.js';
import { actorOf, permit } from '../access.js';
import { asActions, type Actions } from '../audit.js';
import { Components } from '../components.js';
import { CompositeKeyResource, MovieResource } from './adapters.js';
import { onlyFields, toValidationError, validatePayload, type PropertyErrors } from './validate.js';
import { explainHttpErrors, inPanelLanguage, panelLang, serviceForm, staffOf } from '../service-form.js';
import { panelText } from '../locale/index.js';
import { translate } from '../../src/modules/shared/catalogue.js';

type ManufacturerBody = z.output<typeof manufacturerBody>;
const personInput = (b: PersonBody) => ({ name: b.name, nameEng: b.name_eng ?? null });

const CATALOG = { name: 'Catalog', icon: 'Film' };

const values = (list: readonly string[]) => list.map((v) => ({ value: v, label: v }));
const showOnly = { list: false, show: true, edit: false, filter: false };
const listAndShow = { list: true, show: true, edit: false, filter: true };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ActionSpec = Record<string, any>;

/**
 * List/show/search for the roles that may read `rbac` in the role table; new/edit/delete for those
 * that may create/update/delete it, written by the catalog service (admin/service-form.ts), which
 * validates with the API's schema and writes the audit entry. No bulk delete.
 */
function catalogActions([resource, rbac]: [string, ResourceName], form: ReturnType<typeof serviceForm> | null, extra: Actions = {}, overrides: { new?: ActionSpec; edit?: ActionSpec; delete?: ActionSpec } = {}) {
  void resource;
  const reads = permit(rbac, 'read');
  const write = (action: 'create' | 'update' | 'delete', handler: unknown, a: ActionSpec = {}) => ({ isAccessible: permit(rbac, action), isVisible: permit(rbac, action), ...(handler ? { handler } : {}), ...a });
  const { list, show, search, ...custom } = extra;
  return asActions({
    list: { isAccessible: reads, isVisible: reads, ...list },
    show: { isAccessible: reads, isVisible: reads, ...show },
    search: { isAccessible: reads, ...search },
    new: write('create', form?.newHandler, overrides.new),
    edit: write('update', form?.editHandler, overrides.edit),
    delete: write('delete', form?.deleteHandler, overrides.delete),
    bulkDelete: { isAccessible: false, isVisible: false },
    ...custom,
  });
}

/** The composite record id of a join record ("12-3", "12-7-director") as its parts. */
const keyParts = (id: string) => id.split('-');

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
  genres: 'genres',
  credits: 'credits',
};

/** A movie's genres and credits as the form's flattened params (`genres.0`, `credits.0.person` …). */
function relationParams(rel: MovieRelations): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!rel.genreIds.length) out.genres = [];
  rel.genreIds.forEach((id, i) => (out[`genres.${i}`] = String(id)));
  if (!rel.credits.length) out.credits = [];
  rel.credits.forEach((c, i) => {
    out[`credits.${i}.person`] = String(c.person);
    out[`credits.${i}.personName`] = c.personName;
    out[`credits.${i}.role`] = c.role;
    out[`credits.${i}.character`] = c.character ?? '';
    out[`credits.${i}.position`] = String(c.position);
  });
  return out;
}

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
  .refine((b) => !b.validFrom || !b.validUntil || b.validUntil > b.validFrom, { message: 'i18n:untilAfterFrom', path: ['validUntil'] });

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

export function catalogResources(services: Services): ResourceWithOptions[] {
  return [movies(services), genres(services), people(services), manufacturers(services), movieGenres(services), movieCredits(services), contents(services)];
}

function movies(services: Services): ResourceWithOptions {
  const form = serviceForm({
    resourceId: 'movies',
    fields: MOVIE_FIELDS,
    // Genres: the ids ticked; credits: rows of person, role, character, order (saved with the movie, one transaction).
    kinds: { genres: 'array', credits: 'list' },
    mergeCurrentOnEdit: true,
    prepare: (raw) => ({ ...raw, openDate: dateOnly(raw.openDate) }),
    createSchema: movieBody,
    updateSchema: movieBody,
    create: async (staff, input) => (await services.catalog.createMovie(movieInput(input as MovieBody), staff)).movie,
    update: (staff, id, input) => services.catalog.updateMovie(Number(id), movieInput(input as MovieBody), staff),
    remove: (staff, id) => services.catalog.deleteMovie(Number(id), staff),
    explain: explainHttpErrors,
  });

  /** The edit form opens with the movie's genres and credits (read through the catalog service). */
  const withRelations = async (response: ActionResponse, request: ActionRequest): Promise<ActionResponse> => {
    const params = response.record?.params as Record<string, unknown> | undefined;
    if (request.method !== 'get' || !params?.id) return response;
    Object.assign(params, relationParams(await services.catalog.movieRelations(Number(params.id))));
    return response;
  };

  /**
   * Resource action "uploadPoster" (the poster field's upload, new and edit forms alike): the file's
   * bytes → CatalogService.storePoster (sniffed, checked, stripped, stored under /media/posters/).
   * Answers {poster: {url, width, height}}; a refused file is a 400 {"file": […]} (413 when too large).
   */
  const uploadPoster = async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    if (request.method !== 'post') return {};
    const lang = panelLang(context);
    const file = uploadedFile(request.payload?.file);
    try {
      if (!file) throw new HttpValidationError({ file: [panelText(lang, 'posterChooseImage')] });
      const max = services.catalog.posterMaxBytes;
      if ((file.size ?? 0) > max) throw new HttpError(413, { message: translate(lang, 'posterTooLarge', { n: max }) });
      const poster = await services.catalog.storePoster(await readFile(file.path));
      return { poster, notice: { message: panelText(lang, 'posterUploaded'), type: 'success' } };
    } catch (err) {
      // The catalog service's refusal (not an image, too large…) in the staff member's language.
      throw inPanelLanguage(err, context);
    } finally {
      await removeTemp(file);
    }
  };

  return {
    resource: new MovieResource(
      Movie,
      (genreId) => services.catalog.inGenreCondition(genreId),
      async (query) => {
        const found = await services.movieSearch.search(query);
        return [...found.searchResult, ...found.similarResult].map((c) => c.movie.id);
      },
    ),
    options: {
      id: 'movies',
      navigation: CATALOG,
      titleProperty: 'name',
      properties: {
        name: { isTitle: true, isRequired: true, description: 'Title (up to 200 characters).' },
        nameEng: { description: 'English title.' },
        poster: { components: { list: Components.Poster, show: Components.Poster, edit: Components.PosterEdit }, description: 'Upload a JPEG, PNG or WebP image, or give an http(s) URL.' },
        trailer: { description: 'http(s) URL of the trailer.' },
        summary: { type: 'textarea' },
        openDate: { type: 'date' },
        runningTime: { type: 'number', description: 'Minutes (a whole number).' },
        watchGrade: { availableValues: values(WATCH_GRADES) },
        country: { description: 'ISO 3166-1 alpha-2 code, e.g. KR or US.' },
        manufacturerId: { reference: 'manufacturers' },
        // Virtual: a list filter served by MovieResource through movie_genres.
        genre: { type: 'reference', reference: 'genres', isVisible: { list: false, show: false, edit: false, filter: true } },
        // Virtual: edited on the movie form, saved with the movie by the catalog service.
        genres: { type: 'mixed', components: { show: Components.MovieRelations, edit: Components.MovieRelationsEdit }, isVisible: { list: false, show: true, edit: true, filter: false } },
        credits: { type: 'mixed', components: { show: Components.MovieRelations, edit: Components.MovieRelationsEdit }, isVisible: { list: false, show: true, edit: true, filter: false } },
        ratingCount: { isVisible: showOnly },
        ratingSumHalf: { isVisible: false },
        movielensId: { isVisible: showOnly },
        createdAt: { isVisible: showOnly },
        updatedAt: { isVisible: showOnly },
      },
      listProperties: ['id', 'poster', 'name', 'nameEng', 'openDate', 'watchGrade', 'country', 'manufacturerId'],
      filterProperties: ['name', 'genre', 'watchGrade', 'openDate', 'manufacturerId', 'country'],
      editProperties: ['name', 'nameEng', 'summary', 'openDate', 'runningTime', 'watchGrade', 'poster', 'trailer', 'country', 'manufacturerId', 'genres', 'credits'],
      showProperties: ['id', 'poster', 'name', 'nameEng', 'summary', 'openDate', 'runningTime', 'watchGrade', 'country', 'manufacturerId', 'trailer', 'genres', 'credits', 'ratingCount', 'movielensId', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: catalogActions(
        ['movies', 'movies'],
        form,
        {
          list: { component: Components.MovieList },
          uploadPoster: {
            actionType: 'resource',
            icon: 'Image',
            isAccessible: (ctx: ActionContext) => permit('movies', 'create')(ctx) || permit('movies', 'update')(ctx),
            // Reached from the poster field of the movie form, not from the action bar.
            isVisible: false,
            component: false,
            before: async (request: ActionRequest, context: ActionContext) => {
              if (!(permit('movies', 'create')(context) || permit('movies', 'update')(context))) await removeTemp(uploadedFile(request.payload?.file));
              return request;
            },
            handler: uploadPoster,
          },
        },
        { edit: { after: withRelations } },
      ),
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
  const form = serviceForm({
    resourceId: 'genres',
    fields: { name: 'name' },
    createSchema: genreBody,
    updateSchema: genreBody,
    create: (staff, input) => services.catalog.createGenre((input as { name: string }).name, staff),
    update: (staff, id, input) => services.catalog.renameGenre(Number(id), (input as { name: string }).name, staff),
    // A genre with movies is kept (the service says how many); an admin may force it below.
    remove: (staff, id) => services.catalog.deleteGenre(Number(id), { force: false, actorRole: staff.role }, staff),
    explain: explainHttpErrors,
  });
  const forceDelete = async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    const { record, currentAdmin, h } = context;
    if (!record) throw new NotFoundError('The genre does not exist any more.', 'forceDelete');
    if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
    const staff = staffOf(context);
    try {
      await services.catalog.deleteGenre(Number(record.id()), { force: true, actorRole: staff.role }, staff);
    } catch (err) {
      const e = explainHttpErrors(inPanelLanguage(err, context), panelLang(context));
      if (!e) throw err;
      return { record: record.toJSON(currentAdmin), notice: { message: e.message, type: 'error' } };
    }
    return { record: record.toJSON(currentAdmin), notice: { message: panelText(panelLang(context), 'genreForceDeleted'), type: 'success' }, redirectUrl: h.resourceUrl({ resourceId: 'genres' }) };
  };
  return {
    resource: Genre,
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
      actions: catalogActions(['genres', 'genres'], form, {
        forceDelete: {
          actionType: 'record',
          icon: 'Trash2',
          label: 'Delete with its movies',
          guard: 'Delete this genre and take every movie out of it?',
          variant: 'danger',
          isAccessible: permit('genres', 'force-delete'),
          isVisible: permit('genres', 'force-delete'),
          component: false,
          handler: forceDelete,
        },
      }),
      translations: { en: { labels: { genres: 'Genres' } } },
    },
  };
}

function people(services: Services): ResourceWithOptions {
  const form = serviceForm({
    resourceId: 'people',
    fields: { name: 'name', nameEng: 'name_eng' },
    createSchema: personBody,
    updateSchema: personBody,
    create: (staff, input) => services.catalog.createPerson(personInput(input as PersonBody), staff),
    update: (staff, id, input) => services.catalog.updatePerson(Number(id), personInput(input as PersonBody), staff),
    remove: (staff, id) => services.catalog.deletePerson(Number(id), staff),
    explain: explainHttpErrors,
  });
  return {
    resource: Person,
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
      actions: catalogActions(['people', 'people'], form),
      translations: { en: { labels: { people: 'People' }, properties: { nameEng: 'English name' } } },
    },
  };
}

function manufacturers(services: Services): ResourceWithOptions {
  const fields = {
    name: 'name',
    contactPerson: 'contact_person',
    phone: 'phone',
    email: 'email',
    address: 'address',
    partnershipStatus: 'partnership_status',
    partnershipNotes: 'partnership_notes',
    partnershipStartedOn: 'partnership_started_on',
    partnershipEndedOn: 'partnership_ended_on',
  };
  const form = serviceForm({
    resourceId: 'manufacturers',
    fields,
    mergeCurrentOnEdit: true,
    prepare: (raw) => ({ ...raw, partnershipStartedOn: dateOnly(raw.partnershipStartedOn), partnershipEndedOn: dateOnly(raw.partnershipEndedOn) }),
    createSchema: manufacturerBody,
    updateSchema: manufacturerBody,
    create: (staff, input) => services.catalog.createManufacturer(manufacturerInput(input as ManufacturerBody), staff),
    update: (staff, id, input) => services.catalog.updateManufacturer(Number(id), manufacturerInput(input as ManufacturerBody), staff),
    remove: (staff, id) => services.catalog.deleteManufacturer(Number(id), staff),
    explain: explainHttpErrors,
  });
  return {
    resource: Manufacturer,
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
      actions: catalogActions(['manufacturers', 'manufacturers'], form),
      translations: { en: { labels: { manufacturers: 'Manufacturers' } } },
    },
  };
}

function movieGenres(services: Services): ResourceWithOptions {
  const link = (input: unknown) => input as { movie: number; genre: number };
  const form = serviceForm({
    resourceId: 'movie_genres',
    fields: { movieId: 'movie', genreId: 'genre' },
    mergeCurrentOnEdit: true,
    createSchema: movieGenreBody,
    updateSchema: movieGenreBody,
    create: async (staff, input) => {
      await services.catalog.linkGenre(link(input), staff);
      return { id: `${link(input).movie}-${link(input).genre}` };
    },
    update: (staff, id, input) => {
      const [movie, genre] = keyParts(id).map(Number);
      return services.catalog.linkGenre(link(input), staff, { movie, genre });
    },
    remove: (staff, id) => {
      const [movie, genre] = keyParts(id).map(Number);
      return services.catalog.removeMovieFromGenre(genre, movie, staff);
    },
    explain: explainHttpErrors,
  });
  return {
    resource: new CompositeKeyResource(MovieGenre, ['movieId', 'genreId']),
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
      actions: catalogActions(['movie_genres', 'movie-genres'], form),
      translations: { en: { labels: { movie_genres: 'Movie genres' }, properties: { movieId: 'Movie', genreId: 'Genre' } } },
    },
  };
}

function movieCredits(services: Services): ResourceWithOptions {
  const credit = (input: unknown) => input as MovieCreditBody;
  const keyOf = (id: string) => {
    const [movie, person, role] = keyParts(id);
    return { movie: Number(movie), person: Number(person), role: role as CreditRole };
  };
  const form = serviceForm({
    resourceId: 'movie_credits',
    fields: { movieId: 'movie', personId: 'person', role: 'role', character: 'character', position: 'position' },
    mergeCurrentOnEdit: true,
    createSchema: movieCreditBody,
    updateSchema: movieCreditBody,
    create: async (staff, input) => {
      const c = credit(input);
      await services.catalog.saveCredit(c, staff);
      return { id: `${c.movie}-${c.person}-${c.role}` };
    },
    update: (staff, id, input) => services.catalog.saveCredit(credit(input), staff, keyOf(id)),
    remove: (staff, id) => services.catalog.removeCredit(keyOf(id), staff),
    explain: explainHttpErrors,
  });
  return {
    resource: new CompositeKeyResource(MovieCredit, ['movieId', 'personId', 'role']),
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
      listProperties: ['movieId', 'personId', 'role', 'character', 'position'],
      filterProperties: ['movieId', 'personId', 'role'],
      editProperties: ['movieId', 'personId', 'role', 'character', 'position'],
      showProperties: ['movieId', 'personId', 'role', 'character', 'position'],
      sort: { sortBy: 'movieId', direction: 'desc' },
      actions: catalogActions(['movie_credits', 'movie-credits'], form),
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
      await services.contents.setValidity(Number(record.id()), { valid_from: date(request.payload?.validFrom), valid_until: date(request.payload?.validUntil) }, actorOf(context));
    } catch (err) {
      throw panelError(inPanelLanguage(err, context), { valid_from: 'validFrom', valid_until: 'validUntil' }) ?? err;
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
    const lang = panelLang(context);
    const file = uploadedFile(payload.file);
    try {
      const errors: PropertyErrors = {};
      if (!file || !file.size) errors.file = panelText(lang, 'uploadChooseNonEmpty');
      const rawTitle = typeof payload.title === 'string' ? payload.title.trim() : '';
      const title = rawTitle || (file?.name ?? '').replace(/\.[^.]+$/, '').trim();
      if (!title) errors.title = translate(lang, 'required');
      else if (title.length > 200) errors.title = translate(lang, 'maxLength', { n: 200 });
      let movieId: number | null = null;
      if (payload.movieId != null && String(payload.movieId).trim() !== '') {
        const parsed = idParam.safeParse(String(payload.movieId).trim());
        if (!parsed.success) errors.movieId = translate(lang, 'integer');
        else {
          movieId = parsed.data;
          if (!(await services.catalog.existingMovieIds([movieId])).has(movieId)) errors.movieId = translate(lang, 'noSuchMovie', { id: movieId });
        }
      }
      if (Object.keys(errors).length) {
        return { notice: { message: 'thereWereValidationErrors', type: 'error' }, errors: Object.fromEntries(Object.entries(errors).map(([k, message]) => [k, { message }])) };
      }
      let content: { id: number };
      try {
        // The service streams the file into storage, creates the row and queues the probe (audited there).
        content = await services.contents.createFromFile(file!.path, { originalName: file!.name ?? null, title, movieId, uploadedBy: actorOf(context) });
      } catch (err) {
        const e = panelError(inPanelLanguage(err, context), { movie: 'movieId', movie_id: 'movieId' });
        if (!e) throw err;
        const errs = Object.fromEntries(Object.entries(e.propertyErrors).map(([k, v]) => [k, { message: v.message }]));
        return { notice: { message: e.baseError?.message ?? 'thereWereValidationErrors', type: 'error' }, errors: errs };
      }
      return {
        notice: { message: panelText(lang, 'uploadDone', { title }), type: 'success' },
        redirectUrl: context.h.recordActionUrl({ resourceId: 'contents', recordId: String(content.id), actionName: 'show' }),
        record: { id: String(content.id) },
      };
    } finally {
      await removeTemp(file);
    }
  };

  /**
   * Record action "metadata": audio languages, subtitles (ISO 639 codes) and tags, as comma-separated
   * text or lists, validated with the API's schema and written by ContentsService.setMetadata (audited).
   */
  const metadataHandler = async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    const { record, currentAdmin, h } = context;
    if (!record) throw new NotFoundError('The content does not exist.', 'metadata');
    if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
    const payload = (request.payload ?? {}) as Record<string, unknown>;
    const listOf = (key: string): string[] | undefined => {
      const flatKeys = Object.keys(payload).filter((k) => k.startsWith(`${key}.`));
      if (flatKeys.length) return flatKeys.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1])).map((k) => String(payload[k]));
      const v = payload[key];
      if (v === undefined) return undefined;
      if (Array.isArray(v)) return v.map(String);
      return String(v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    };
    const input = Object.fromEntries(EDITABLE_METADATA_KEYS.map((k) => [k, listOf(k)]).filter(([, v]) => v !== undefined));
    const parsed = metadataBody.safeParse(input);
    const refuse = (fields: Record<string, string[]>, message = panelText(panelLang(context), 'formFixFields')) => ({
      record: { ...record.toJSON(currentAdmin), errors: Object.fromEntries(Object.entries(fields).map(([k, m]) => [k.split('.')[0], { type: 'invalid', message: m.join(' ') }])) },
      notice: { message, type: 'error' as const },
    });
    if (!parsed.success) return refuse(fieldErrors(parsed.error.issues, input, panelLang(context)));
    try {
      await services.contents.setMetadata(Number(record.id()), parsed.data, actorOf(context));
    } catch (err) {
      const e = explainHttpErrors(inPanelLanguage(err, context), panelLang(context));
      if (!e) throw err;
      return refuse(e.fields ?? {}, e.message);
    }
    const fresh = (await context.resource.findOne(String(record.id()), context)) ?? record;
    return {
      record: fresh.toJSON(currentAdmin),
      notice: { message: panelText(panelLang(context), 'metaSaved'), type: 'success' },
      redirectUrl: h.recordActionUrl({ resourceId: 'contents', recordId: String(record.id()), actionName: 'show' }),
    };
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
        // The show page polls while the file is processed (the probe job), then shows the outcome.
        status: { availableValues: values(CONTENT_STATUSES), components: { show: Components.ContentStatus, list: Components.ContentStatus } },
        metadata: { type: 'mixed', components: { show: Components.ContentMetadata }, isVisible: showOnly },
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
        null,
        {
          metadata: {
            actionType: 'record',
            icon: 'Tag',
            label: 'Languages, subtitles and tags',
            isAccessible: permit('contents', 'update'),
            isVisible: permit('contents', 'update'),
            component: Components.ContentMetadataEdit,
            handler: metadataHandler,
          },
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
        {
          // Contents come from files: the generic form is off, "Upload" replaces it.
          new: { isAccessible: false, isVisible: false },
          // Only the validity window is edited here (ContentsService.setValidity audits it).
          edit: { before: [onlyFields(['validFrom', 'validUntil']), validity], handler: editHandler },
          // A row deleted here would leave its stored file behind: the contents service has no delete yet.
          delete: { isAccessible: false, isVisible: false },
        },
      ),
      translations: { en: { labels: { contents: 'Contents' }, actions: { upload: 'Upload', metadata: 'Languages, subtitles and tags' }, properties: { movieId: 'Movie', validFrom: 'Valid from', validUntil: 'Valid until' } } },
    },
  };
}
