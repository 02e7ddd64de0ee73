// The panel in English (chosen per staff member; Korean is the default, admin/locale/ko.ts).
// AdminJS's bundled `en` translation gives the rest; resources keep their own `translations.en`.
import type { LocaleTranslations } from 'adminjs';

export const en: LocaleTranslations = {
  actions: { csvExport: 'Export CSV', bulkRemove: 'Delete selected…', bulkRegrade: 'Regrade selected…', bulkApprove: 'Approve selected', bulkReject: 'Reject selected…' },
  components: {
    LanguageSelector: { availableLanguages: { ko: '한국어', en: 'English' } },
    Login: {
      welcomeHeader: 'Marquee',
      welcomeMessage: 'The staff back office. Log in with your company account.',
      properties: { email: 'E-mail', password: 'Password' },
      loginButton: 'Log in',
    },
  },
  labels: { loginWelcome: 'Marquee admin', users: 'Staff and accounts', stat_days: 'Statistics days', rec_runs: 'Recommendation runs', movie_ratings: 'Ratings', payments: 'Payments', refunds: 'Refunds', subscriptions: 'Subscriptions', plans: 'Plans', discounts: 'Discounts', coupons: 'Coupons', members: 'Members', watch_progress: 'Watch progress', showtimes: 'Showtimes' },
  properties: { panelLanguage: 'Panel language' },
  messages: {
    welcomeOnBoard_title: 'Marquee admin',
    welcomeOnBoard_subtitle: 'Pick a task in the menu.',
    zone: 'Time zone: {{zone}}',
    languageTitle: '언어 / Language',
    languageIntro: 'Choose the language of the admin panel. It is saved on your account.',
    languageSaved: 'Language changed. Reloading…',
    jobsTitle: 'Jobs',
    jobsBullmq: 'Jobs run on BullMQ queues (Redis).',
    jobsOpenMonitor: 'Open the queue monitor',
    jobsInProcess: 'This server has no Redis (embedded mode): jobs run inside the API process.',
    jobsNone: 'No job has run yet.',
    jobsRetry: 'Retry',
    jobsRetried: 'Job {{id}} runs again.',
    jobsState_waiting: 'waiting',
    jobsState_active: 'running',
    jobsState_completed: 'completed',
    jobsState_failed: 'failed',
    jobsColName: 'Job',
    jobsColState: 'State',
    jobsColLastRun: 'Last run',
    jobsColAttempts: 'Attempts',
    jobsColFailures: 'Failures',
    jobsColError: 'Error',
  },
  pages: { twoFactor: 'Two-factor authentication', language: '언어 / Language', jobs: 'Jobs' },
};
