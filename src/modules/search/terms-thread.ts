// The search thread (terms-host.ts ThreadTerms): holds the terms and answers the calls in the order
// they come. A load yields between its steps, so the calls after it meanwhile answer from the terms
// being replaced, as on the caller's thread.
import { parentPort } from 'node:worker_threads';
import { HeldTerms, type ThreadAnswer, type ThreadCall } from './terms-host.js';

const held = new HeldTerms();
const port = parentPort!;
const answer = (m: ThreadAnswer) => port.postMessage(m);
const failed = (id: number, err: unknown) => answer({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });

port.on('message', (m: ThreadCall) => {
  try {
    if (m.op === 'load') held.load(...m.args).then((value) => answer({ id: m.id, value }), (err) => failed(m.id, err));
    else if (m.op === 'replace') answer({ id: m.id, value: held.replace(...m.args) });
    else if (m.op === 'search') answer({ id: m.id, value: held.search(...m.args) });
    else answer({ id: m.id, value: held.autocomplete(...m.args) });
  } catch (err) {
    failed(m.id, err);
  }
});
