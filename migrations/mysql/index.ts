import { Initial1795397700047 } from './1795397700047-Initial.js';
// Migrations for MySQL/MariaDB, in order. `npm run migration:generate -- Name` appends here.
export const mysqlMigrations: Function[] = [
  Initial1795397700047,
];
