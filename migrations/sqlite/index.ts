import { Initial1795398300267 } from './1795398300267-Initial.js';
// Migrations for the embedded SQLite database, in order. `npm run migration:generate -- Name` appends here.
export const sqliteMigrations: Function[] = [
  Initial1795398300267,
];
