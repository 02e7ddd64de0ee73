// `npm run worker`: the BullMQ worker process (full mode). Consumes every queue, owns the
// recurring schedules, relays the job outbox too (createRuntime starts the relay, as in the API
// process), and on SIGTERM stops taking jobs and finishes the active ones.
import { loadConfigOrExit } from '../src/config.js';
import { exitOnFatal } from '../src/logging.js';
import { createLogger, createRuntime } from '../src/runtime.js';
import { BullJobBus } from './bus.js';

const { config, warnings } = loadConfigOrExit();
const logger = createLogger(config);
exitOnFatal(logger);
for (const w of warnings) logger.warn(w);
if (!config.redisUrl) {
  logger.error('REDIS_URL is not set: the worker needs Redis (in the embedded mode `npm start` runs the jobs itself)');
  process.exit(2);
}
const rt = await createRuntime(config, { migrate: false, schedule: true, logger });
const bus = rt.jobs as BullJobBus;
bus.startWorkers(rt.services, Number(process.argv[2]) || 2);
logger.info('worker started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker stopping: finishing active jobs');
  await rt.close();
  logger.info('worker stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
