// `npm run admin:create -- --email you@example.com [--password …] [--role admin|catalog|finance|support]`
// Creates a staff account (or resets the password of the existing one). Without --password, a
// random one is generated and printed once.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config.js';
import { createDataSource, openDatabase } from '../src/db/data-source.js';
import { createLogger, exitOnFatal } from '../src/logging.js';
import { AuditService } from '../src/modules/audit/audit.service.js';
import { ROLES, type Role } from '../src/modules/users/user.entity.js';
import { UsersService } from '../src/modules/users/users.service.js';

const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string', default: 'admin' } } });
if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
  console.error('usage: npm run admin:create -- --email you@example.com [--password …] [--role admin|catalog|finance|support]');
  process.exit(2);
}
const role = values.role as Role;
if (!ROLES.includes(role) || role === 'user') {
  console.error(`--role must be one of ${ROLES.filter((r) => r !== 'user').join(', ')}`);
  process.exit(2);
}
const password = values.password ?? randomBytes(12).toString('base64url');
if (password.length < 8) {
  console.error('--password must be at least 8 characters');
  process.exit(2);
}
const { config } = loadConfigOrExit();
const logger = createLogger(config);
// A failure is logged scrubbed (the INSERT's parameters hold the new password's hash), not printed raw by Node.
exitOnFatal(logger);
const ds = createDataSource(config.db, { logger });
await openDatabase(ds, { migrate: config.db.type === 'sqlite' });
const users = new UsersService(ds, new AuditService(ds));
const { user, created } = await users.ensureStaff(values.email, password, role);
console.log(`${created ? 'created' : 'updated'} ${role} ${user.email} (username ${user.username})`);
if (!values.password) console.log(`password: ${password}`);
await ds.destroy();
