// The runner entry of a child engine (bun, deno, or node with engine flags): the Node CLI stays
// the driver and starts `<engine> src/engines/runner.ts '<request JSON>'`. The child runs the
// test's threads on its own CPUs (Web Workers on Bun and Deno, piscina on Node: pool/host.ts
// picks), reports progress on stderr as `progress <done> <total>` lines, stops on SIGINT with
// what it has (partial), and prints one JSON line on stdout: {ok: runs} or {error, userError?}.
// The model verdict stays with the driver: it is the same on every engine.

import process from 'node:process';
import { UserError } from '../errors.ts';
import { testFromWire, type WireTest } from '../litmus/ir.ts';
import { hostInfo } from '../runtime/host.ts';
import { runLitmusJob } from '../runtime/litmus/run.ts';
import { type RunnerReply, type RunnerRequest, runsToWire } from './runner-protocol.ts';

async function main(r: RunnerRequest): Promise<RunnerReply> {
  const abort = new AbortController();
  process.on('SIGINT', () => abort.abort());
  // The driver's threads backend accepted the job (it refused what it cannot run).
  const runs = await runLitmusJob(r, {
    signal: abort.signal,
    onProgress: (done: number, total: number) =>
      process.stderr.write(`progress ${done} ${total}\n`),
  });
  return { ok: runsToWire({ ...runs, host: hostInfo(r.flags) }) };
}

let reply: RunnerReply;
try {
  const wire = JSON.parse(process.argv[process.argv.length - 1]!) as RunnerRequest;
  reply = await main({ ...wire, test: testFromWire(wire.test as unknown as WireTest) });
} catch (e) {
  reply =
    e instanceof UserError
      ? { error: e.message, userError: { file: e.file, pos: e.pos } }
      : { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
process.stdout.write(`${JSON.stringify(reply)}\n`);
// Bun and Deno keep running while a terminated worker's handle lingers; the answer is out.
process.exit(0);
