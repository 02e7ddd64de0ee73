import { Initial1795397700047 } from './1795397700047-Initial.js';
// Migrations for the embedded SQLite database, in order. `npm run migration:generate -- Name` appends here.
export const sqliteMigrations: Function[] = [
  Initial1795397700047,
];
