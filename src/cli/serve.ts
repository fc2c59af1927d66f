// `smplab serve [tests...]`: the browser runner. Serves a page that runs the chosen litmus tests
// (every test of the corpus by default) on the browser's Web Workers, each state graded by the
// model verdict computed here once; each result the page posts back is written to results/ as
// the same JSON record as a Node run, tagged with the browser, its engine and the device.
// Runs until Ctrl-C.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { BackendResult } from '../backends/backend.ts';
import { BACKEND_NAMES } from '../backends/registry.ts';
import { breaches, gradeRun } from '../backends/soundness.ts';
import { runsFromWire } from '../engines/runner-protocol.ts';
import { UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { loadLitmus } from '../litmus/load.ts';
import { witnessCounts } from '../litmus/state.ts';
import { checkModel, type Verdict } from '../model/index.ts';
import { count } from '../report/format.ts';
import { writeResultFile } from '../report/results-file.ts';
import { describeEngine } from '../runtime/identity.ts';
import { histogramFromPage, type PageResult, pageTest } from '../serve/page-data.ts';
import { pageHost } from '../serve/page-host.ts';
import { startServer } from '../serve/server.ts';
import { backendOptions } from './litmus-backends.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { corpusLitmusNames, displayPath, resolveTarget } from './resolve.ts';
import { litmusRecord } from './run-litmus.ts';

export async function serveCommand(opts: Options, signal: AbortSignal): Promise<number> {
  const tests = servedTests(opts.args);
  // The page grades by --model; the record's soundness check is lkmm's, as for a Node run.
  const served = tests.map((test) => ({ test, verdict: pageVerdict(test, opts) }));
  // Read before listening: a missing or unreadable PEM file is its own error, not "cannot listen".
  const tls = tlsFiles(opts);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      tests: served.map((s) => pageTest(s.test, s.verdict)),
      host: opts.host,
      port: opts.port,
      tls,
      onResult: (r) => saveResult(r, served, opts),
    });
  } catch (e) {
    throw new UserError(`cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
  }
  console.log(`Serving ${tests.length} litmus tests at ${server.url} (Ctrl-C stops)`);
  for (const url of networkUrls(
    opts.host,
    new URL(server.url).port,
    opts.tlsCert ? 'https' : 'http',
  ))
    console.log(`  from another device on this network: ${url}`);
  if (opts.host === 'localhost' || opts.host.startsWith('127.'))
    console.log('  (only this machine can connect; --host 0.0.0.0 lets a phone on the network in)');
  else if (!opts.tlsCert)
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

function tlsFiles(opts: Options): { cert: string; key: string } | undefined {
  if (!opts.tlsCert && !opts.tlsKey) return undefined;
  if (!opts.tlsCert || !opts.tlsKey) throw new UserError('--tls-cert and --tls-key go together');
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(`${flag} ${file}: ${(e as Error).message}`);
    }
  };
  return { cert: read('--tls-cert', opts.tlsCert), key: read('--tls-key', opts.tlsKey) };
}

function servedTests(args: string[]): Test[] {
  const words = args.length ? args : corpusLitmusNames();
  return words.map((w) => {
    const target = resolveTarget(w);
    if (target.kind !== 'litmus')
      throw new UserError(`${w} is a program scenario; the browser runs litmus tests only`);
    return { ...loadLitmus(target.path), file: displayPath(target.path) };
  });
}

function pageVerdict(test: Test, opts: Options): Verdict | undefined {
  try {
    return checkModel(test, opts.model, { timeoutMs: opts.modelTimeoutS * 1000 });
  } catch {
    // The model gave up on this test: the page shows counts without grades.
    return undefined;
  }
}

function saveResult(
  r: PageResult,
  served: { test: Test; verdict: Verdict | undefined }[],
  opts: Options,
): string {
  const { test, verdict } = served.find((s) => s.test.name === r.test)!;
  const histogram = histogramFromPage(test, r.hw.histogram);
  if (typeof histogram === 'string') throw new UserError(histogram);
  const runs = { ...runsFromWire(r.hw), histogram, host: pageHost(r, false) };
  // hw's memory objects are x86 and portable; an emulated CPU's is its backend's name (weak).
  const backend = runs.memory === 'x86' || runs.memory === 'portable' ? 'hw' : runs.memory;
  if (!BACKEND_NAMES.includes(backend))
    throw new UserError(
      `no backend here runs memory ${runs.memory} (there are ${BACKEND_NAMES.join(', ')})`,
    );
  const results: BackendResult[] = [{ tag: runs.partial ? 'interrupted' : 'ran', backend, runs }];
  if (verdict) results.unshift({ tag: 'ran', backend: 'model', verdict });
  const bopts = { ...backendOptions(opts), runs: runs.runs, engine: undefined };
  const outcome = { results, grading: gradeRun(test, results, bopts) };
  const record = litmusRecord(test, { ...opts, runs: runs.runs, engine: undefined }, outcome);
  const file = displayPath(writeResultFile(RESULTS_DIR, test.name, record));
  const outside = breaches(results, outcome.grading).flatMap((b) => b.states);
  const host = runs.host;
  console.log(
    `${test.name} on ${describeEngine(host.engine)}, ${host.cores} CPUs (${host.os}): ` +
      `${count(runs.runs)} runs, ${count(witnessCounts(test, histogram).positive)} witnesses` +
      `${outside.length ? `, ${outside.length} states OUTSIDE THE MODEL` : ''}${runs.partial ? ', partial' : ''} → ${file}`,
  );
  return file;
}

/** http://<address>:<port>/ for each non-internal IPv4 address, when listening on all of them. */
function networkUrls(host: string, port: string, scheme: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [];
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `${scheme}://${a!.address}:${port}/`);
}
