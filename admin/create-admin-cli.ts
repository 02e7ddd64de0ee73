// `npm run admin:create -- --email you@example.com [--password …] [--role admin|catalog|finance|support] [--totp-secret BASE32]`
// Creates a staff account (or resets the password of the existing one). Without --password, a
// random one is generated and printed once. --totp-secret turns the second factor on with that
// known secret (base32, at least 128 bits — for automation that computes the codes itself) and
// prints the account's 10 new recovery codes once.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/config.js';
import { createDataSource, openDatabase } from '../src/db/data-source.js';
import { createLogger, exitOnFatal } from '../src/logging.js';
import { AuditService } from '../src/modules/audit/audit.service.js';
import { passwordProblem } from '../src/modules/users/password-rule.js';
import { StaffMfaError, StaffMfaService } from '../src/modules/users/staff-mfa.service.js';
import { base32Decode } from '../src/modules/users/totp.js';
import { ROLES, type Role } from '../src/modules/users/user.entity.js';
import { UsersService } from '../src/modules/users/users.service.js';

const USAGE = 'usage: npm run admin:create -- --email you@example.com [--password …] [--role admin|catalog|finance|support] [--totp-secret BASE32]';
const { values } = parseArgs({ options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string', default: 'admin' }, 'totp-secret': { type: 'string' } } });
if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) {
  console.error(USAGE);
  process.exit(2);
}
const role = values.role as Role;
if (!ROLES.includes(role) || role === 'user') {
  console.error(`--role must be one of ${ROLES.filter((r) => r !== 'user').join(', ')}`);
  process.exit(2);
}
const password = values.password ?? randomBytes(12).toString('base64url');
const passwordIssue = passwordProblem(password);
if (passwordIssue) {
  console.error(`--password ${passwordIssue}`);
  process.exit(2);
}
const totpSecret = values['totp-secret'];
if (totpSecret !== undefined && (base32Decode(totpSecret)?.length ?? 0) < 16) {
  console.error('--totp-secret must be base32 (A–Z, 2–7) of at least 128 bits (26 characters)');
  process.exit(2);
}
const { config } = loadConfigOrExit();
const logger = createLogger(config);
// A failure is logged scrubbed (the INSERT's parameters hold the new password's hash), not printed raw by Node.
exitOnFatal(logger);
const ds = createDataSource(config.db, { logger });
await openDatabase(ds, { migrate: config.db.type === 'sqlite' });
const audit = new AuditService(ds);
const users = new UsersService(ds, audit);
const { user, created } = await users.ensureStaff(values.email, password, role);
console.log(`${created ? 'created' : 'updated'} ${role} ${user.email} (username ${user.username})`);
if (!values.password) console.log(`password: ${password}`);
if (totpSecret !== undefined) {
  try {
    const codes = await new StaffMfaService(ds, audit, users, config.staffMfa).provision(user.id, totpSecret);
    console.log('second factor: on (TOTP, the given secret)');
    console.log(`recovery codes (each works once; shown only now):\n${codes.map((c) => `  ${c}`).join('\n')}`);
  } catch (err) {
    if (!(err instanceof StaffMfaError)) throw err;
    console.error(`--totp-secret: ${err.code}`);
    process.exitCode = 2;
  }
}
await ds.destroy();
