// Members in the panel (navigation group "Members", beside the Users resource, which is the
// members list itself): the masked member lookup, watch progress (read-only) and the moderation
// of ratings. Who sees what is the role table (src/modules/access/rbac.ts):
//   - Member lookup: members (role user) read-only for whoever may read `members` (support,
//     finance, admin), with name, phone and e-mail masked and the age instead of the birth date,
//     masked in the adapter itself (list, show, search, references alike). Unmasked data stays
//     with the admin-only Users resource and the audited `customersprivacy?unmask=true`. The show
//     page lists the member's ratings, watch history, coupons and payments — each only for a role
//     that may read it — read by the MemberActivity component through the `activity` action.
//   - Watch progress: admins and finance read it, filtered by member, content or movie; nothing
//     is written from the panel (players report progress through the API).
//   - Ratings: admins, catalog staff and finance list, show and filter (by movie, member, hidden);
//     admins and catalog staff "Hide…" a review with a reason or "Show again", both through
//     RatingsService.setHidden, which audits the change. Scores are never edited, created or
//     deleted here (that would bypass the movie's rating counters).
import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import { Resource as TypeormResource } from '@adminjs/typeorm';
import { BaseProperty, BaseRecord, ListAction, NotFoundError, flat, type Filter } from 'adminjs';
import { HttpError } from '../../src/http/errors.js';
import { methodLabel } from '../../src/modules/commerce/methods.service.js';
import { bulkAction } from '../bulk.js';
import { isPanelTextKey, panelText, type PanelTextKey } from '../locale/index.js';
import { panelLang } from '../service-form.js';
import type { Lang } from '../../src/modules/shared/messages.js';
import { Equal } from 'typeorm';
import { ageOn, maskEmail, maskName, maskPhone } from '../../src/modules/members/privacy.js';
import { User } from '../../src/modules/users/user.entity.js';
import { WatchProgress } from '../../src/modules/members/watch.entity.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import type { Services } from '../../src/runtime.js';
import type { AuthUser } from '../../src/http/auth.js';
import { can, type ResourceName } from '../../src/modules/access/rbac.js';
import { actorOf, permit, type AdminSessionUser } from '../access.js';
import { asActions } from '../audit.js';
import { Components } from '../components.js';
import { CompositeKeyResource } from './adapters.js';

const MEMBERS = { name: 'Members', icon: 'User' };
const PROGRESS_READERS = permit('watch-progress', 'read');
const RATING_READERS = permit('ratings', 'read');
const MODERATORS = permit('ratings', 'moderate');
const REASON_MAX = 300;
const RATINGS_ID = 'movie_ratings';

const never = { isAccessible: false, isVisible: false };
const readOnly = (who: ReturnType<typeof permit>) => ({
  list: { isAccessible: who, isVisible: who },
  show: { isAccessible: who, isVisible: who },
  search: { isAccessible: who },
  new: never,
  edit: never,
  delete: never,
  bulkDelete: never,
});
const listAndShow = { list: true, show: true, edit: false, filter: true };

/** Columns a masked lookup may sort by (sorting by a masked column would leak its order). */
const LOOKUP_SORTABLE = ['id', 'username', 'createdAt', 'lastLoginAt'];
const LOOKUP_HIDDEN = ['passwordHash', 'birthDate', 'profileImage', 'role', 'getAgreement', 'updatedAt'];

/** Users with role `user` only, every record masked before AdminJS sees it. */
export class MaskedMemberResource extends TypeormResource {
  private readonly props: BaseProperty[];

  constructor() {
    super(User);
    const columns = super.properties().filter((p) => !LOOKUP_HIDDEN.includes(p.path()));
    this.props = [
      ...columns.map((p) => (LOOKUP_SORTABLE.includes(p.path()) ? p : notSortable(p))),
      new BaseProperty({ path: 'age', type: 'number', isSortable: false }),
      // Filter only: name, e-mail, phone or card last 4 through MembersService.searchCustomers (the list handler).
      new BaseProperty({ path: 'q', type: 'string', isSortable: false }),
    ];
  }

  override properties() {
    return this.props as ReturnType<TypeormResource['properties']>;
  }

  override property(path: string) {
    return (this.props.find((p) => p.path() === path) ?? null) as ReturnType<TypeormResource['property']>;
  }

  override count(filter: Filter) {
    return super.count(this.membersOnly(filter));
  }

  override async find(filter: Filter, params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } }) {
    const sortBy = LOOKUP_SORTABLE.includes(params?.sort?.sortBy ?? '') ? params.sort!.sortBy : 'id';
    const rows = await super.find(this.membersOnly(filter), { ...params, sort: { sortBy, direction: params?.sort?.direction ?? 'desc' } });
    return rows.map((r) => this.masked(r));
  }

  override async findOne(id: string | number) {
    const r = await super.findOne(id);
    return r && r.params.role === 'user' ? this.masked(r) : null;
  }

  override async findMany(ids: Array<string | number>) {
    return (await super.findMany(ids)).filter((r) => r.params.role === 'user').map((r) => this.masked(r));
  }

  override create(): never {
    throw new Error('the member lookup is read-only');
  }

  override update(): never {
    throw new Error('the member lookup is read-only');
  }

  override delete(): never {
    throw new Error('the member lookup is read-only');
  }

  private membersOnly(filter: Filter): Filter {
    const filters = { ...((filter?.filters ?? {}) as Record<string, unknown>) };
    for (const key of Object.keys(filters)) if (!['username', 'isActive', 'createdAt', 'id'].includes(key)) delete filters[key];
    filters.role = { path: 'role', property: super.property('role'), value: 'user', custom: Equal('user') };
    return { ...filter, filters } as unknown as Filter;
  }

  private masked(r: BaseRecord): BaseRecord {
    const p = r.params;
    return new BaseRecord(
      {
        id: p.id,
        username: p.username,
        fullName: maskName(p.fullName as string | null),
        email: maskEmail(p.email as string | null),
        phone: maskPhone(p.phone as string | null),
        age: ageOn(p.birthDate as string | null),
        isActive: p.isActive,
        lastLoginAt: p.lastLoginAt,
        createdAt: p.createdAt,
      },
      this,
    );
  }
}

function notSortable<T extends object>(property: T): T {
  return Object.assign(Object.create(property) as T, { isSortable: () => false });
}

const ACTIVITY_LIMIT = 50;

/**
 * A member's ratings, watch history, coupons and payments for their show page (the "activity"
 * record action the MemberActivity component reads). Each list is there only for a role the role
 * table lets read it (ratings, watch-progress, coupons, payments); each is read through its
 * module's service, newest first, at most ACTIVITY_LIMIT rows, with no personal data beyond ids.
 */
async function memberActivity(services: Services, viewer: AuthUser, userId: number) {
  const page = { offset: 0, limit: ACTIVITY_LIMIT };
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  const allowed = (resource: ResourceName) => can(viewer.role, resource, 'read');
  const out: Record<string, unknown> = {};
  if (allowed('ratings')) {
    const rows = (await services.ratings.listForUser(userId)).slice(0, ACTIVITY_LIMIT);
    out.ratings = rows.map(({ rating: r, movie }) => ({ id: r.id, movie_id: r.movieId, movie: movie?.name ?? null, score: r.scoreHalf / 2, comment: r.comment, hidden: r.hidden, updated_at: iso(r.updatedAt) }));
  }
  if (allowed('watch-progress')) {
    const { rows } = await services.members.history(userId, page);
    out.history = rows.map(({ progress: p, movie }) => ({ content_id: p.contentId, movie_id: p.movieId, movie: movie?.movie.name ?? null, position: p.positionSeconds, duration: p.durationSeconds, updated_at: iso(p.updatedAt) }));
  }
  if (allowed('coupons')) {
    const { rows } = await services.offers.forUser(viewer, userId, { status: 'all' }, page);
    out.coupons = rows.map(({ issue, coupon }) => ({ id: issue.id, coupon_id: coupon.id, code: coupon.code, name: coupon.name, status: issue.status, issued_at: iso(issue.issuedAt), used_at: iso(issue.usedAt) }));
  }
  if (allowed('payments')) {
    const { rows } = await services.payments.listForUser(userId, page);
    out.payments = rows.map((p) => ({ id: p.id, kind: p.kind, status: p.status, amount: p.amountTotal, refunded: p.refundedAmount, currency: p.currency, created_at: iso(p.createdAt), paid_at: iso(p.paidAt) }));
  }
  return out;
}

const viewerOf = (context: ActionContext): AuthUser => {
  const admin = context.currentAdmin as AdminSessionUser;
  return { id: Number(admin.id), username: admin.email, email: admin.email, role: admin.role };
};

/**
 * Members matching `q` the way `GET /customers/?search=` finds them (MembersService.searchCustomers:
 * username, e-mail, name, phone digits, and card last 4 for a role that may see payment methods),
 * as masked lookup records in the service's order.
 */
async function lookup(services: Services, resource: ActionContext['resource'], viewer: AuthUser, q: string, page: { offset: number; limit: number }) {
  const { count, rows } = await services.members.searchCustomers({ search: q, role: 'user' }, page, viewer);
  const found = new Map((await resource.findMany(rows.map((r) => r.id))).map((r) => [String(r.id()), r]));
  return { count, records: rows.map((r) => found.get(String(r.id))).filter((r): r is BaseRecord => !!r) };
}

/** The subscription's status and the last payments' status and amount: what support needs to answer "am I subscribed, why was I charged?" — no card data. */
async function billingOf(services: Services, userId: number, withIds: boolean) {
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  const sub = await services.subscriptions.summaryFor(userId);
  const { rows } = await services.payments.listForUser(userId, { offset: 0, limit: 5 });
  return {
    subscription: sub
      ? { status: sub.subscription.status, plan: sub.plan.name, current_period_end: iso(sub.subscription.currentPeriodEnd), cancel_at_period_end: sub.subscription.cancelAtPeriodEnd, ...(withIds ? { id: sub.subscription.id } : {}) }
      : null,
    payments: rows.map((p) => ({ ...(withIds ? { id: p.id } : {}), kind: p.kind, status: p.status, amount: p.amountTotal, refunded: p.refundedAmount, currency: p.currency, created_at: iso(p.createdAt) })),
  };
}

type TimelineItem = { at: string; kind: 'payment' | 'refund' | 'subscription' | 'coupon' | 'method'; title: string; status: string | null; amount: number | null; currency: string | null; link: { resourceId: string; recordId: string } | null };

/**
 * One timeline of the member's payments, refunds, subscription events, coupons and payment
 * methods, newest first, each linked to its record where the panel has one — for a role that may
 * read payments (finance, admin). Every list comes from its module's service.
 */
async function timelineOf(services: Services, viewer: AuthUser, userId: number, lang: Lang): Promise<TimelineItem[]> {
  /** A title from the locale files; a key built from a stored value falls back to the value. */
  const text = (key: string, fallback: string, vars: Record<string, unknown> = {}) => (isPanelTextKey(key) ? panelText(lang, key as PanelTextKey, vars) : fallback);
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : '');
  const items: TimelineItem[] = [];
  const { rows: payments } = await services.payments.listForUser(userId, { offset: 0, limit: ACTIVITY_LIMIT });
  for (const p of payments) items.push({ at: iso(p.paidAt ?? p.createdAt), kind: 'payment', title: text(`tlPayment_${p.kind}`, `${p.kind} #${p.id}`, { id: p.id }), status: p.status, amount: p.amountTotal, currency: p.currency, link: { resourceId: 'payments', recordId: String(p.id) } });
  for (const r of await services.payments.refundsOf(payments.map((p) => p.id)))
    items.push({ at: iso(r.createdAt), kind: 'refund', title: panelText(lang, 'tlRefund', { code: r.code, payment: r.paymentId, rule: r.rule }), status: r.status, amount: r.amount, currency: r.currency, link: can(viewer.role, 'refunds', 'read') ? { resourceId: 'refunds', recordId: String(r.id) } : null });
  for (const e of await services.subscriptions.eventsForUser(userId, ACTIVITY_LIMIT))
    items.push({ at: iso(e.at), kind: 'subscription', title: text(`tlSubscription_${e.kind}`, e.kind), status: e.kind, amount: null, currency: null, link: can(viewer.role, 'subscriptions', 'read') ? { resourceId: 'subscriptions', recordId: String(e.subscriptionId) } : null });
  if (can(viewer.role, 'coupons', 'read')) {
    const { rows } = await services.offers.forUser(viewer, userId, { status: 'all' }, { offset: 0, limit: ACTIVITY_LIMIT });
    for (const { issue, coupon } of rows) items.push({ at: iso(issue.usedAt ?? issue.issuedAt), kind: 'coupon', title: panelText(lang, 'tlCoupon', { code: coupon.code, name: coupon.name }), status: issue.status, amount: null, currency: null, link: { resourceId: 'coupons', recordId: String(coupon.id) } });
  }
  if (can(viewer.role, 'payment-methods', 'read')) {
    const methods = await services.methods.listForUser(userId, { includeDeleted: true });
    for (const m of methods) {
      items.push({ at: iso(m.createdAt), kind: 'method', title: panelText(lang, 'tlMethodAdded', { method: methodLabel({ ...m, deletedAt: null }) }), status: m.isDefault && !m.deletedAt ? 'default' : null, amount: null, currency: null, link: null });
      if (m.deletedAt) items.push({ at: iso(m.deletedAt), kind: 'method', title: panelText(lang, 'tlMethodRemoved', { method: methodLabel({ ...m, deletedAt: null }) }), status: 'removed', amount: null, currency: null, link: null });
    }
  }
  return items.sort((a, b) => b.at.localeCompare(a.at));
}

export function memberLookupResource(services: Services): ResourceWithOptions {
  const reads = permit('members', 'read');
  return {
    resource: new MaskedMemberResource(),
    options: {
      id: 'members',
      navigation: MEMBERS,
      properties: {
        username: { isTitle: true },
        q: { isVisible: { list: false, show: false, edit: false, filter: true } },
        fullName: { isVisible: listAndShow },
        createdAt: { isVisible: listAndShow },
        lastLoginAt: { isVisible: { list: false, show: true, edit: false, filter: false } },
        // Virtual: the lists on the show page, loaded through the `activity` action below.
        activity: { isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.MemberActivity } },
      },
      listProperties: ['id', 'username', 'fullName', 'email', 'phone', 'age', 'createdAt'],
      filterProperties: ['q', 'username', 'isActive', 'createdAt'],
      showProperties: ['id', 'username', 'fullName', 'email', 'phone', 'age', 'isActive', 'lastLoginAt', 'createdAt', 'activity'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: asActions({
        ...readOnly(reads),
        bulkDelete: never,
        // GET /admin/api/resources/members/records/{id}/activity: the member (masked, as on show) and their lists.
        activity: {
          actionType: 'record',
          isAccessible: reads,
          isVisible: false,
          component: false,
          handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
            const { record, currentAdmin } = context;
            if (!record) throw new NotFoundError('The member does not exist.', 'activity');
            const viewer = viewerOf(context);
            const userId = Number(record.id());
            const activity: Record<string, unknown> = await memberActivity(services, viewer, userId);
            if (can(viewer.role, 'members', 'billing')) activity.billing = await billingOf(services, userId, can(viewer.role, 'payments', 'read'));
            if (can(viewer.role, 'payments', 'read')) activity.timeline = await timelineOf(services, viewer, userId, panelLang(context));
            return { record: record.toJSON(currentAdmin), activity };
          },
        },
        // The list with a `filters.q`: members found by MembersService.searchCustomers (name, e-mail, phone, card last 4), masked.
        list: {
          isAccessible: reads,
          isVisible: reads,
          handler: async (request: ActionRequest, response: unknown, context: ActionContext) => {
            const query = flat.unflatten(request.query ?? {}) as { filters?: { q?: string }; page?: string; perPage?: string };
            const q = String(query.filters?.q ?? '').trim();
            if (!q) return (ListAction.handler as (req: ActionRequest, res: unknown, ctx: ActionContext) => Promise<unknown>)(request, response, context);
            const perPage = Math.min(500, Number(query.perPage) || 10);
            const page = Math.max(1, Number(query.page) || 1);
            const { count, records } = await lookup(services, context.resource, viewerOf(context), q, { offset: (page - 1) * perPage, limit: perPage });
            return { meta: { total: count, perPage, page, direction: 'desc', sortBy: 'id' }, records: records.map((r) => r.toJSON(context.currentAdmin)) };
          },
        },
        // The reference pickers (e.g. the payments' Member filter): the same search as the list.
        search: {
          isAccessible: reads,
          handler: async (request: ActionRequest, _response: unknown, context: ActionContext) => {
            const q = String(request.params?.query ?? '').trim();
            const { records } = await lookup(services, context.resource, viewerOf(context), q, { offset: 0, limit: 50 });
            return { records: records.map((r) => r.toJSON(context.currentAdmin)) };
          },
        },
        // Bulk: each selected member deactivated through the users service (tokens ended), audited per member.
        bulkDeactivate: bulkAction({
          label: 'Deactivate selected…',
          icon: 'UserX',
          who: permit('members', 'deactivate'),
          needsReason: true,
          variant: 'danger',
          run: async (staff, id, { reason }, context) => {
            const lang = panelLang(context);
            const before = await services.users.findById(Number(id));
            if (!before || before.role !== 'user') throw new HttpError(404, { detail: panelText(lang, 'notMember') });
            if (!before.isActive) throw new HttpError(409, { message: panelText(lang, 'alreadyInactive') });
            await services.users.updateAccount(before.id, { isActive: false });
            await services.audit.record({ actor: { id: staff.id, email: staff.email }, action: 'member.deactivate', resource: 'members', recordId: before.id, before: { isActive: true }, after: { isActive: false }, reason });
            return panelText(lang, 'bulkRowDeactivated');
          },
        }),
      }),
      translations: {
        en: { labels: { members: 'Member lookup' }, actions: { bulkDeactivate: 'Deactivate selected…' }, properties: { q: 'Name, e-mail, phone or card last 4', activity: 'Activity', fullName: 'Name (masked)', email: 'E-mail (masked)', phone: 'Phone (masked)', age: 'Age', isActive: 'Active', lastLoginAt: 'Last login', createdAt: 'Signed up' } },
      },
    },
  };
}

export function watchProgressResource(): ResourceWithOptions {
  return {
    resource: new CompositeKeyResource(WatchProgress, ['userId', 'contentId']),
    options: {
      id: 'watch_progress',
      navigation: MEMBERS,
      properties: {
        [CompositeKeyResource.KEY]: { isVisible: false },
        userId: { reference: 'users', isVisible: listAndShow },
        contentId: { reference: 'contents', isVisible: listAndShow },
        movieId: { reference: 'movies', isVisible: listAndShow },
        updatedAt: { isVisible: listAndShow },
      },
      listProperties: ['userId', 'contentId', 'movieId', 'positionSeconds', 'durationSeconds', 'updatedAt'],
      filterProperties: ['userId', 'contentId', 'movieId', 'updatedAt'],
      showProperties: ['userId', 'contentId', 'movieId', 'positionSeconds', 'durationSeconds', 'updatedAt'],
      sort: { sortBy: 'updatedAt', direction: 'desc' },
      actions: asActions(readOnly(PROGRESS_READERS)),
      translations: {
        en: { labels: { watch_progress: 'Watch progress' }, properties: { userId: 'Member', contentId: 'Content', movieId: 'Movie', positionSeconds: 'Position (s)', durationSeconds: 'Duration (s)', updatedAt: 'Last report' } },
      },
    },
  };
}

export function ratingsModerationResource(services: Services): ResourceWithOptions {
  /** "Hide…" (with a reason) and "Show again": POST only; a GET just renders the form. */
  const moderate = (hidden: boolean) => async (request: ActionRequest, _response: unknown, context: ActionContext) => {
    const { record, currentAdmin, resource, h } = context;
    if (!record) throw new NotFoundError('The review does not exist any more.', hidden ? 'hide' : 'unhide');
    if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
    const reason = hidden ? String(request.payload?.reason ?? '').trim() : null;
    if (hidden && (!reason || reason.length > REASON_MAX)) {
      return { record: record.toJSON(currentAdmin), notice: { message: panelText(panelLang(context), 'reasonRequiredMax', { max: REASON_MAX }), type: 'error' } };
    }
    await services.ratings.setHidden(Number(record.id()), hidden, reason, actorOf(context));
    const fresh = (await resource.findOne(record.id())) ?? record;
    return {
      record: fresh.toJSON(currentAdmin),
      notice: { message: panelText(panelLang(context), hidden ? 'ratingHidden' : 'ratingShown'), type: 'success' },
      redirectUrl: h.recordActionUrl({ resourceId: RATINGS_ID, recordId: record.id(), actionName: 'show' }),
    };
  };
  const isHidden = (ctx: ActionContext) => ctx.record?.params?.hidden === true || ctx.record?.params?.hidden === 'true';

  return {
    resource: MovieRating,
    options: {
      id: RATINGS_ID,
      navigation: MEMBERS,
      properties: {
        userId: { reference: 'users', isVisible: listAndShow },
        movieId: { reference: 'movies', isVisible: listAndShow },
        scoreHalf: { isVisible: { list: true, show: true, edit: false, filter: false }, description: 'Half stars: 1 = 0.5 … 10 = 5.0' },
        comment: { type: 'textarea', isVisible: { list: false, show: true, edit: false, filter: false } },
        hiddenReason: { isVisible: { list: false, show: true, edit: false, filter: false } },
        createdAt: { isVisible: { list: false, show: true, edit: false, filter: true } },
        updatedAt: { isVisible: listAndShow },
      },
      listProperties: ['id', 'movieId', 'userId', 'scoreHalf', 'hidden', 'updatedAt'],
      filterProperties: ['movieId', 'userId', 'hidden', 'createdAt', 'updatedAt'],
      showProperties: ['id', 'movieId', 'userId', 'scoreHalf', 'comment', 'hidden', 'hiddenReason', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'updatedAt', direction: 'desc' },
      actions: asActions({
        ...readOnly(RATING_READERS),
        hide: {
          actionType: 'record',
          icon: 'EyeOff',
          label: 'Hide…',
          isAccessible: MODERATORS,
          isVisible: (ctx: ActionContext) => MODERATORS(ctx) && !isHidden(ctx),
          component: Components.RatingModeration,
          handler: moderate(true),
        },
        unhide: {
          actionType: 'record',
          icon: 'Eye',
          label: 'Show again',
          isAccessible: MODERATORS,
          isVisible: (ctx: ActionContext) => MODERATORS(ctx) && isHidden(ctx),
          component: Components.RatingModeration,
          handler: moderate(false),
        },
      }),
      translations: {
        en: {
          labels: { movie_ratings: 'Ratings' },
          actions: { hide: 'Hide…', unhide: 'Show again' },
          properties: { userId: 'Member', movieId: 'Movie', scoreHalf: 'Score (half stars)', hiddenReason: 'Hidden because' },
        },
      },
    },
  };
}

export function membersResources(services: Services): ResourceWithOptions[] {
  return [memberLookupResource(services), watchProgressResource(), ratingsModerationResource(services)];
}
