// `smplab serve [tests...]`: the browser runner. Serves a page that runs the chosen litmus tests
// (every test of the corpus by default) on the browser's Web Workers, each state graded by the
// model verdict computed once (lab/serve.ts); each result a page posts back is saved as the
// same record as a Node run, and a line about it is printed here. Runs until Ctrl-C.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { UserError } from '../errors.ts';
import { type PageRun, savePageResult, servedTests } from '../lab/serve.ts';
import { count } from '../report/format.ts';
import { describeEngine } from '../runtime/identity.ts';
import { pageTest } from '../serve/page-data.ts';
import { startServer } from '../serve/server.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { SERVE } from './schema.ts';

export async function serveCommand(line: CommandLine, signal: AbortSignal): Promise<number> {
  const flags = takeFlags(line, SERVE, 'serve');
  const request = { model: flags.model, modelTimeoutS: flags['model-timeout'] };
  const served = servedTests(line.args, request);
  // Read before listening: a missing or unreadable PEM file is its own error, not "cannot listen".
  const tls = tlsFiles(flags['tls-cert'], flags['tls-key']);
  const { host, port } = flags;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      tests: served.map((s) => pageTest(s.test, s.verdict)),
      host,
      port,
      tls,
      onResult: (r) => {
        const run = savePageResult(r, served, request);
        console.log(pageRunLine(run));
        return run.file;
      },
    });
  } catch (e) {
    throw new UserError(`cannot listen on ${host}:${port}: ${(e as Error).message}`);
  }
  console.log(`Serving ${served.length} litmus tests at ${server.url} (Ctrl-C stops)`);
  for (const url of networkUrls(host, new URL(server.url).port, tls ? 'https' : 'http'))
    console.log(`  from another device on this network: ${url}`);
  if (host === 'localhost' || host.startsWith('127.'))
    console.log('  (only this machine can connect; --host 0.0.0.0 lets a phone on the network in)');
  else if (!tls)
    console.log(
      '  (another device needs HTTPS for SharedArrayBuffer: --tls-cert/--tls-key, or adb reverse; see the README)',
    );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  return 0;
}

function pageRunLine(run: PageRun): string {
  const { host } = run;
  return (
    `${run.test} on ${describeEngine(host.engine)}, ${host.cores} CPUs (${host.os}): ` +
    `${count(run.runs)} runs, ${count(run.witnesses)} witnesses` +
    `${run.outside ? `, ${run.outside} states OUTSIDE THE MODEL` : ''}${run.partial ? ', partial' : ''} → ${run.file}`
  );
}

function tlsFiles(cert?: string, key?: string): { cert: string; key: string } | undefined {
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new UserError('--tls-cert and --tls-key go together');
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(`${flag} ${file}: ${(e as Error).message}`);
    }
  };
  return { cert: read('--tls-cert', cert), key: read('--tls-key', key) };
}

/** http://<address>:<port>/ for each non-internal IPv4 address, when listening on all of them. */
function networkUrls(host: string, port: string, scheme: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [];
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `${scheme}://${a!.address}:${port}/`);
}
