// `smplab serve [tests...]`: the browser runner. Serves a page that runs the chosen litmus tests
// (every test of the corpus by default) on the browser's Web Workers, each state graded by the
// model verdict computed once (lab/serve.ts); each result a page posts back is saved as the
// same record as a Node run, and a line about it is printed here, escaped (what a browser says
// about itself is a client's bytes). Served to the network, each device's address carries a
// one-time token (engines/browser/guard.ts). Runs until Ctrl-C.

import { oneLine } from '../engines/browser/guard.ts';
import { pageTest } from '../engines/browser/page-data.ts';
import { type PageRun, savePageResult, servedTests } from '../lab/serve.ts';
import { count } from '../report/format.ts';
import { describeEngine } from '../runtime/identity.ts';
import { listen } from '../serve/listen.ts';
import { DEFAULT_MODEL_TIMEOUT_S } from './flags.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { SERVE } from './schema.ts';

export async function serveCommand(line: CommandLine, signal: AbortSignal): Promise<number> {
  const flags = takeFlags(line, SERVE, 'serve');
  const request = {
    model: flags.model,
    modelTimeoutS: flags['model-timeout'] ?? DEFAULT_MODEL_TIMEOUT_S,
  };
  const served = servedTests(line.args, request);
  const { host } = flags;
  const { server, https, networkUrls } = await listen({
    tests: served.map((s) => pageTest(s.test, s.verdict)),
    host,
    port: flags.port,
    tlsCert: flags['tls-cert'],
    tlsKey: flags['tls-key'],
    onResult: async (r) => {
      const run = await savePageResult(r, served, request, signal);
      // The engine and the platform come from the client's user agent: one escaped line.
      console.log(oneLine(pageRunLine(run)));
      return run.file;
    },
    onClaim: (userAgent, next) =>
      console.log(
        oneLine(`  a device took its token (${userAgent.slice(0, 200)}); the next one: `) +
          networkUrls.map((u) => `${u}?token=${next}`).join(' '),
      ),
  });
  const token = server.token();
  // Named by a network address, the server is reached with the guard's token even from here.
  const local = new URL(server.url).hostname;
  const here =
    token && !/^(localhost|127\.|\[::1\])/.test(local)
      ? `${server.url}?token=${token}`
      : server.url;
  console.log(`Serving ${served.length} litmus tests at ${here} (Ctrl-C stops)`);
  for (const url of networkUrls)
    console.log(
      `  from another device on this network (one device per token): ${url}?token=${token}`,
    );
  if (host === 'localhost' || host.startsWith('127.'))
    console.log('  (only this machine can connect; --host 0.0.0.0 lets a phone on the network in)');
  else if (!https)
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
