// `npm run cluster [-- --apis 2 --workers 2 --keep]`: the full-mode topology on this machine (see
// scripts/cluster.ts) until Ctrl-C, which stops every process and removes the throw-away folder.
import { parseArgs } from 'node:util';
import { Cluster } from './cluster.js';

const { values } = parseArgs({ options: { apis: { type: 'string', default: '2' }, workers: { type: 'string', default: '2' }, keep: { type: 'boolean', default: false } } });
const cluster = new Cluster({ apis: Number(values.apis), workers: Number(values.workers), keep: values.keep });
process.on('exit', () => cluster.killAllNow());
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n[cluster] ${signal}: stopping`);
  await cluster.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
try {
  await cluster.start();
} catch (err) {
  console.error(`[cluster] start failed: ${(err as Error).message} (logs in ${cluster.dir})`);
  await cluster.stop();
  process.exit(1);
}
console.log(`
Marquee cluster is up (Ctrl-C stops everything):
  public API + panel  ${cluster.baseUrl}/  (${cluster.baseUrl}/admin — ${cluster.adminEmail} / ${cluster.adminPassword})
  API processes       ${cluster.ports.apis.map((_, i) => cluster.apiUrl(i)).join('  ')}
  MariaDB primary     ${cluster.primaryUrl}
  MariaDB replica     ${cluster.replicaUrl}
  Redis               ${cluster.redisUrl} (prefix ${cluster.redisPrefix}, BullMQ {${cluster.redisPrefix}}:bull)
  logs                ${cluster.dir}/*.log
`);
