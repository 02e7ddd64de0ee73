// Custom AdminJS components, registered once. Paths point at the .tsx sources; the bundle is
// built by `npm run admin:bundle` (or on the first start after a component changed).
import path from 'node:path';
import { ComponentLoader } from 'adminjs';
import { REPO_ROOT } from '../src/paths.js';

/** The .tsx sources (also when this file runs from the transpiled copy in .build/). */
export const componentDir = path.join(REPO_ROOT, 'admin', 'components');

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
  Money: componentLoader.add('MarqueeMoney', path.join(componentDir, 'money.tsx')),
  Grade: componentLoader.add('MarqueeGrade', path.join(componentDir, 'grade.tsx')),
  LanguagePage: componentLoader.add('MarqueeLanguagePage', path.join(componentDir, 'language-page.tsx')),
  JobsPage: componentLoader.add('MarqueeJobsPage', path.join(componentDir, 'jobs-page.tsx')),
  PaymentDetails: componentLoader.add('MarqueePaymentDetails', path.join(componentDir, 'payment-details.tsx')),
  BulkAction: componentLoader.add('MarqueeBulkAction', path.join(componentDir, 'bulk-action.tsx')),
  CsvExport: componentLoader.add('MarqueeCsvExport', path.join(componentDir, 'csv-export.tsx')),
};

// AdminJS's own components replaced everywhere (issue 14 §1, §7): times in the service zone with
// the zone labelled, entered in that zone; column headers that the phone stylesheet can address.
componentLoader.override('DefaultDatetimeListProperty', path.join(componentDir, 'datetime-value.tsx'));
componentLoader.override('DefaultDatetimeShowProperty', path.join(componentDir, 'datetime-value.tsx'));
componentLoader.override('DefaultDatetimeEditProperty', path.join(componentDir, 'datetime-edit.tsx'));
componentLoader.override('PropertyHeader', path.join(componentDir, 'property-header.tsx'));
// In-panel links through AdminJS's router, never a full page load (admin/components/spa-links.tsx).
componentLoader.override('SidebarFooter', path.join(componentDir, 'spa-links.tsx'));
