// Where the admin panel lives: read by the app (which holds the panel's place before AdminJS is
// loaded) and by the panel itself.
export const ADMIN_ROOT = '/admin';
