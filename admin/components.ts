// Custom AdminJS components, registered once. Paths point at the .tsx sources; the bundle is
// built by `npm run admin:bundle` (or on the first start after a component changed).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const componentDir = path.join(here, 'components');

export const componentLoader = new ComponentLoader();
export const Components = {
  Dashboard: componentLoader.add('MarqueeDashboard', path.join(componentDir, 'dashboard.tsx')),
  SetPassword: componentLoader.add('MarqueeSetPassword', path.join(componentDir, 'set-password.tsx')),
  Poster: componentLoader.add('MarqueePoster', path.join(componentDir, 'poster.tsx')),
  JsonView: componentLoader.add('MarqueeJsonView', path.join(componentDir, 'json-view.tsx')),
  MovieRelations: componentLoader.add('MarqueeMovieRelations', path.join(componentDir, 'movie-relations.tsx')),
  MovieRelationsEdit: componentLoader.add('MarqueeMovieRelationsEdit', path.join(componentDir, 'movie-relations-edit.tsx')),
  PosterEdit: componentLoader.add('MarqueePosterEdit', path.join(componentDir, 'poster-edit.tsx')),
  MovieList: componentLoader.add('MarqueeMovieList', path.join(componentDir, 'movie-list.tsx')),
  ContentStatus: componentLoader.add('MarqueeContentStatus', path.join(componentDir, 'content-status.tsx')),
  ContentMetadata: componentLoader.add('MarqueeContentMetadata', path.join(componentDir, 'content-metadata.tsx')),
  ContentMetadataEdit: componentLoader.add('MarqueeContentMetadataEdit', path.join(componentDir, 'content-metadata-edit.tsx')),
  ContentUpload: componentLoader.add('MarqueeContentUpload', path.join(componentDir, 'content-upload.tsx')),
  RatingModeration: componentLoader.add('MarqueeRatingModeration', path.join(componentDir, 'rating-moderation.tsx')),
  ShowtimeImport: componentLoader.add('MarqueeShowtimeImport', path.join(componentDir, 'showtime-import.tsx')),
  FinanceAction: componentLoader.add('MarqueeFinanceAction', path.join(componentDir, 'finance-action.tsx')),
  StatsRecompute: componentLoader.add('MarqueeStatsRecompute', path.join(componentDir, 'stats-recompute.tsx')),
  RecRetrain: componentLoader.add('MarqueeRecRetrain', path.join(componentDir, 'rec-retrain.tsx')),
  MemberActivity: componentLoader.add('MarqueeMemberActivity', path.join(componentDir, 'member-activity.tsx')),
  StaffAccess: componentLoader.add('MarqueeStaffAccess', path.join(componentDir, 'staff-access.tsx')),
  TwoFactor: componentLoader.add('MarqueeTwoFactor', path.join(componentDir, 'two-factor.tsx')),
};
