// Every TypeORM entity of the product, in one list: the DataSource, the migrations drift test and
// the admin panel read it from here. A new module adds its entities below.
import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { DailySignupStat } from '../modules/statistics/daily-signup-stat.entity.js';
import { User } from '../modules/users/user.entity.js';
import { HttpSession } from './session.entity.js';

export const entities = [User, DailySignupStat, AuditEntry, HttpSession];
