import { Initial1795398300267 } from './1795398300267-Initial.js';
// Migrations for MySQL/MariaDB, in order. `npm run migration:generate -- Name` appends here.
export const mysqlMigrations: Function[] = [
  Initial1795398300267,
];
