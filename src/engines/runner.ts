// The runner entry of a child engine (bun, deno, or node with engine flags): the Node CLI stays
// the driver and starts `<engine> src/engines/runner.ts '<request JSON>'`. The child runs the
// litmus test's hw part on its own CPUs (Web Workers on Bun and Deno, piscina on Node), reports
// progress on stderr as `progress <done> <total>` lines, stops on SIGINT with what it has
// (partial), and prints one JSON line on stdout: {ok: {hw, host}} or {error, userError?}.
// The model verdict stays with the driver: it is the same on every engine.

import process from 'node:process';
import { UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import { runLitmusOnHw } from '../runtime/litmus-hw.ts';
import type { RunnerReply, RunnerRequest } from './runner-protocol.ts';

async function main(request: RunnerRequest): Promise<RunnerReply> {
  const test = { ...loadLitmus(request.path), file: request.file };
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  const hw = await runLitmusOnHw(
    test,
    { runs: request.runs, size: request.size, timeSeconds: request.time },
    {
      signal: abort.signal,
      onProgress: (done, total) => process.stderr.write(`progress ${done} ${total}\n`),
    },
  );
  return { ok: { hw, host: hostInfo(request.flags) } };
}
let reply: RunnerReply;
try {
  reply = await main(JSON.parse(process.argv[process.argv.length - 1]!) as RunnerRequest);
} catch (e) {
  reply =
    e instanceof UserError
      ? { error: e.message, userError: { file: e.file, pos: e.pos } }
      : { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
process.stdout.write(`${JSON.stringify(reply, mapsAsObjects)}\n`);
// Bun and Deno keep running while a terminated worker's handle lingers; the answer is out.
process.exit(0);
