// Cinemas and showtimes in the panel (navigation group "Cinemas"). Catalog staff and admins write,
// finance reads; every write goes through the cinemas service with the module's schemas (errors
// next to each field, nothing written), which audits it. Showtimes also come in bulk through "Import CSV", which
// hands the file to the cinemas service.
import { readFile, rm, stat } from 'node:fs/promises';
import { Resource as TypeormResource } from '@adminjs/typeorm';
import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import { ValidationError as HttpValidationError } from '../../src/http/errors.js';
import { Cinema, CINEMA_TYPES, Showtime } from '../../src/modules/cinemas/cinema.entities.js';
import { cinemaInput, showtimeInput, type CinemaInput, type ShowtimeInput } from '../../src/modules/cinemas/cinema.schemas.js';
import { MAX_IMPORT_BYTES, type SkipReason } from '../../src/modules/cinemas/cinemas.service.js';
import { translate } from '../../src/modules/shared/catalogue.js';
import type { Lang } from '../../src/modules/shared/messages.js';

/** A showtime import's skip reason as the panel shows it, in the staff member's language ("date: …" for a column's). */
export function csvSkipReason(lang: Lang, r: SkipReason): string {
  const text = translate(lang, r.code, r.vars);
  return r.field ? `${r.field}: ${text}` : text;
}
import type { Services } from '../../src/runtime.js';
import { actorOf, permit } from '../access.js';
import { asActions } from '../audit.js';
import { Components } from '../components.js';
import { explainHttpErrors, inPanelLanguage, panelLang, serviceForm } from '../service-form.js';
import { panelText } from '../locale/index.js';

const CINEMAS = { name: 'Cinemas', icon: 'MapPin' };

const showOnly = { list: false, show: true, edit: false, filter: false };
const values = (list: readonly string[]) => list.map((v) => ({ value: v, label: v }));

type Params = Record<string, unknown>;

/** AdminJS turns a date-only value into a Date (UTC midnight): store that UTC day, whatever the process time zone. */
const dateOnly = (v: unknown) => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString().slice(0, 10) : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? v.slice(0, 10) : v);

/** The adapter reads TIME columns as datetimes (AdminJS would turn "18:30" into an invalid Date): they are text here. */
const asText = <T extends object>(property: T): T => Object.assign(Object.create(property) as T, { type: () => 'string' });

class ShowtimeResource extends TypeormResource {
  private readonly props = super.properties().map((p) => (['startTime', 'endTime'].includes(p.path()) ? asText(p) : p));

  override properties() {
    return this.props;
  }

  override property(path: string) {
    return this.props.find((p) => p.path() === path) as ReturnType<TypeormResource['property']>;
  }
}

/** List/show/search, and new/edit/delete through the cinemas service (which validates and audits), as the role table says; no bulk delete. */
function actions(resource: 'cinemas' | 'showtimes', form: ReturnType<typeof serviceForm>, extra: Params = {}) {
  const reads = permit(resource, 'read');
  const write = (action: 'create' | 'update' | 'delete', handler: unknown) => ({ isAccessible: permit(resource, action), isVisible: permit(resource, action), handler });
  return asActions({
    list: { isAccessible: reads, isVisible: reads },
    show: { isAccessible: reads, isVisible: reads },
    search: { isAccessible: reads },
    new: write('create', form.newHandler),
    edit: write('update', form.editHandler),
    delete: write('delete', form.deleteHandler),
    bulkDelete: { isAccessible: false, isVisible: false },
    ...extra,
  });
}

/** A file as express-formidable hands it over in the action payload. */
interface UploadedFile {
  path: string;
  size?: number;
}
const uploadedFile = (v: unknown): UploadedFile | null => {
  const f = Array.isArray(v) ? v[0] : v;
  return f && typeof f === 'object' && typeof (f as UploadedFile).path === 'string' ? (f as UploadedFile) : null;
};
const removeTemp = async (f: UploadedFile | null) => {
  if (f) await rm(f.path, { force: true }).catch(() => undefined);
};

export function cinemaResources(services: Services): ResourceWithOptions[] {
  return [cinemas(services), showtimes(services)];
}

function cinemas(services: Services): ResourceWithOptions {
  const fields = {
    region: 'region',
    area: 'area',
    name: 'name',
    code: 'code',
    tel: 'tel',
    address: 'address',
    x: 'x',
    y: 'y',
    url: 'url',
    publicTransport: 'public',
    parking: 'parking',
    type: 'type',
    img: 'img',
  };
  const form = serviceForm({
    resourceId: 'cinemas',
    fields,
    mergeCurrentOnEdit: true,
    createSchema: cinemaInput,
    updateSchema: cinemaInput,
    create: (staff, input) => services.cinemas.saveCinema(staff, null, input as CinemaInput),
    update: (staff, id, input) => services.cinemas.saveCinema(staff, Number(id), input as CinemaInput),
    remove: (staff, id) => services.cinemas.deleteCinema(staff, Number(id)),
    explain: explainHttpErrors,
  });
  return {
    resource: Cinema,
    options: {
      id: 'cinemas',
      navigation: CINEMAS,
      titleProperty: 'name',
      properties: {
        name: { isTitle: true, isRequired: true },
        type: { availableValues: values(CINEMA_TYPES) },
        x: { type: 'number', description: 'Longitude (경도), e.g. 127.026391177132.' },
        y: { type: 'number', description: 'Latitude (위도), e.g. 37.5016573944824.' },
        area: { description: '구, e.g. 강남구 (the area search reads it).' },
        publicTransport: { type: 'textarea' },
        parking: { type: 'textarea' },
        img: { components: { show: Components.Poster }, description: 'http(s) URL of a picture of the cinema.' },
        url: { description: 'http(s) URL of the cinema page.' },
        ratingCount: { isVisible: showOnly },
        ratingSumHalf: { isVisible: false },
        createdAt: { isVisible: showOnly },
        updatedAt: { isVisible: showOnly },
      },
      listProperties: ['id', 'name', 'type', 'area', 'address', 'tel'],
      filterProperties: ['name', 'type', 'region', 'area'],
      editProperties: ['name', 'type', 'region', 'area', 'address', 'x', 'y', 'code', 'tel', 'url', 'img', 'publicTransport', 'parking'],
      showProperties: ['id', 'img', 'name', 'type', 'region', 'area', 'address', 'x', 'y', 'code', 'tel', 'url', 'publicTransport', 'parking', 'ratingCount', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'id', direction: 'asc' },
      actions: actions('cinemas', form),
      translations: { en: { labels: { cinemas: 'Cinemas' }, properties: { publicTransport: 'Public transport', ratingCount: 'Reviews', x: 'Longitude (x)', y: 'Latitude (y)' } } },
    },
  };
}

function showtimes(services: Services): ResourceWithOptions {
  const fields = {
    cinemaId: 'cinema_id',
    movieId: 'movie_id',
    date: 'date',
    startTime: 'start_time',
    endTime: 'end_time',
    info: 'info',
    totalSeats: 'total_seats',
    seats: 'seats',
    url: 'url',
  };
  const form = serviceForm({
    resourceId: 'showtimes',
    fields,
    mergeCurrentOnEdit: true,
    prepare: (raw) => ({ ...raw, date: dateOnly(raw.date) }),
    createSchema: showtimeInput,
    updateSchema: showtimeInput,
    create: (staff, input) => services.cinemas.saveShowtime(staff, null, input as ShowtimeInput),
    update: (staff, id, input) => services.cinemas.saveShowtime(staff, Number(id), input as ShowtimeInput),
    remove: (staff, id) => services.cinemas.deleteShowtime(staff, Number(id)),
    explain: explainHttpErrors,
  });

  const importHandler = async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    if (request.method !== 'post') return {};
    const lang = panelLang(context);
    const file = uploadedFile(request.payload?.file);
    try {
      if (!file || !(file.size ?? (await stat(file.path)).size)) {
        const message = panelText(lang, 'importChooseNonEmpty');
        return { notice: { message, type: 'error' }, errors: { file: { message } } };
      }
      if ((file.size ?? (await stat(file.path)).size) > MAX_IMPORT_BYTES) {
        const message = panelText(lang, 'importTooLarge', { mb: MAX_IMPORT_BYTES / 1024 / 1024 });
        return { notice: { message, type: 'error' }, errors: { file: { message } } };
      }
      try {
        const report = await services.cinemas.importShowtimesCsv(await readFile(file.path), actorOf(context));
        const message = panelText(lang, 'importReport', { inserted: report.inserted, skipped: report.skipped.length });
        // The skip reasons in the staff member's language.
        const skipped = report.skipped.map(({ line, reasons }) => ({ line, reasons: reasons.map((r) => csvSkipReason(lang, r)) }));
        return { notice: { message, type: report.skipped.length ? 'info' : 'success' }, importReport: { inserted: report.inserted, skipped } };
      } catch (thrown) {
        const err = inPanelLanguage(thrown, context);
        if (!(err instanceof HttpValidationError)) throw err;
        const message = Object.values(err.fields).flat().join(' ');
        return { notice: { message, type: 'error' }, errors: { file: { message } } };
      }
    } finally {
      await removeTemp(file);
    }
  };

  return {
    resource: new ShowtimeResource(Showtime),
    options: {
      id: 'showtimes',
      navigation: CINEMAS,
      properties: {
        cinemaId: { reference: 'cinemas', isRequired: true },
        movieId: { reference: 'movies', isRequired: true },
        date: { type: 'date', isRequired: true, description: 'Local date of the cinema.' },
        startTime: { type: 'string', isRequired: true, description: 'HH:MM, local time of the cinema.' },
        endTime: { type: 'string', description: 'HH:MM (may be past midnight, i.e. before the start).' },
        info: { description: 'Screen and format, e.g. "2D | 2관 6층".' },
        totalSeats: { type: 'number' },
        seats: { type: 'number', description: 'Free seats.' },
        url: { description: 'http(s) URL of the booking page.' },
        createdAt: { isVisible: showOnly },
        updatedAt: { isVisible: showOnly },
      },
      listProperties: ['id', 'cinemaId', 'movieId', 'date', 'startTime', 'info', 'seats'],
      filterProperties: ['cinemaId', 'movieId', 'date'],
      editProperties: ['cinemaId', 'movieId', 'date', 'startTime', 'endTime', 'info', 'totalSeats', 'seats', 'url'],
      showProperties: ['id', 'cinemaId', 'movieId', 'date', 'startTime', 'endTime', 'info', 'totalSeats', 'seats', 'url', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'date', direction: 'desc' },
      actions: actions(
        'showtimes',
        form,
        {
          importCsv: {
            actionType: 'resource',
            icon: 'Upload',
            label: 'Import CSV',
            isAccessible: permit('showtimes', 'import'),
            isVisible: permit('showtimes', 'import'),
            component: Components.ShowtimeImport,
            // A refused request's temp file is removed at once (the access check comes after `before`).
            before: async (request: ActionRequest, context: ActionContext) => {
              if (!permit('showtimes', 'import')(context)) await removeTemp(uploadedFile(request.payload?.file));
              return request;
            },
            handler: importHandler,
          },
        },
      ),
      translations: {
        en: {
          labels: { showtimes: 'Showtimes' },
          actions: { importCsv: 'Import CSV' },
          properties: { cinemaId: 'Cinema', movieId: 'Movie', startTime: 'Start', endTime: 'End', totalSeats: 'Total seats', seats: 'Free seats' },
        },
      },
    },
  };
}
