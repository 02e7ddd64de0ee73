// Objects made for every request keep one V8 hidden class from request to request (a new one per
// request was most of a hot read's CPU, and garbage for the major GC): the app's HTTP server
// (src/http/server.ts) and the signed-in user (src/http/auth.ts). Checked in a child process
// started with --allow-natives-syntax (%HaveSameMap), by test/support/hidden-classes.ts.
import { execFileSync } from 'node:child_process';

it("keeps one hidden class per kind: the app's server's requests and responses, and signed-in users (Express's default server does not)", () => {
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', 'test/support/hidden-classes.ts'], { encoding: 'utf8', timeout: 60_000 });
  expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
    appServer: { requests: true, responses: true },
    // What the app's server exists for: Express's own server moves each request onto its prototypes.
    defaultServer: { requests: false, responses: false },
    users: true,
  });
});
