// Members in the panel (navigation group "Members", beside the Users resource, which is the
// members list itself): watch progress (read-only) and the moderation of ratings.
//   - Watch progress: admins and finance read it, filtered by member, content or movie; nothing
//     is written from the panel (players report progress through the API).
//   - Ratings: admins, catalog staff and finance list, show and filter (by movie, member, hidden);
//     admins and catalog staff "Hide…" a review with a reason or "Show again", both through
//     RatingsService.setHidden, which audits the change. Scores are never edited, created or
//     deleted here (that would bypass the movie's rating counters).
import type { ActionContext, ActionRequest, ResourceWithOptions } from 'adminjs';
import { NotFoundError } from 'adminjs';
import { WatchProgress } from '../../src/modules/members/watch.entity.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import type { Services } from '../../src/runtime.js';
import { actorOf, allow } from '../access.js';
import { asActions } from '../audit.js';
import { Components } from '../components.js';
import { CompositeKeyResource } from './adapters.js';

const MEMBERS = { name: 'Members', icon: 'User' };
const PROGRESS_READERS = allow('admin', 'finance');
const RATING_READERS = allow('admin', 'catalog', 'finance');
const MODERATORS = allow('admin', 'catalog');
const REASON_MAX = 300;
const RATINGS_ID = 'movie_ratings';

const never = { isAccessible: false, isVisible: false };
const readOnly = (who: ReturnType<typeof allow>) => ({
  list: { isAccessible: who, isVisible: who },
  show: { isAccessible: who, isVisible: who },
  search: { isAccessible: who },
  new: never,
  edit: never,
  delete: never,
  bulkDelete: never,
});
const listAndShow = { list: true, show: true, edit: false, filter: true };

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
      return { record: record.toJSON(currentAdmin), notice: { message: `Write a reason (at most ${REASON_MAX} characters).`, type: 'error' } };
    }
    await services.ratings.setHidden(Number(record.id()), hidden, reason, actorOf(context));
    const fresh = (await resource.findOne(record.id())) ?? record;
    return {
      record: fresh.toJSON(currentAdmin),
      notice: { message: hidden ? 'The review is hidden.' : 'The review is shown again.', type: 'success' },
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
  return [watchProgressResource(), ratingsModerationResource(services)];
}
