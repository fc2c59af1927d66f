// `smplab compare <a> <b> ...`: several litmus tests side by side — the barrier against the
// no-barrier view (MP+poonceonces against MP+fencewmbonceonce+fencermbonceonce); with
// --engine all, one column per test and engine.

import { chooseEngines } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { formatComparison } from '../report/compare-text.ts';
import { statesOutsideModel } from '../report/litmus-text.ts';
import { writeResultFile } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import { modelVerdict, runOnBackends, singleEngine } from './litmus-backends.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath, resolveTarget } from './resolve.ts';
import { litmusRecord } from './run-litmus.ts';

export async function compareCommand(opts: Options, signal: AbortSignal): Promise<number> {
  if (opts.args.length < 2) throw new UserError('compare takes two or more litmus tests');
  const columns = [];
  const engines =
    opts.engine === 'all' || opts.engine === 'node-tiers'
      ? chooseEngines(opts.engine, opts.engineFlags).choices
      : [singleEngine(opts)];
  for (const word of opts.args) {
    const target = resolveTarget(word);
    if (target.kind !== 'litmus')
      throw new UserError(`${word} is a program scenario; run shows its variants side by side`);
    const test = { ...loadLitmus(target.path), file: displayPath(target.path) };
    const verdict = modelVerdict(test, opts);
    for (const engine of engines) {
      const outcome = await runOnBackends(test, opts, signal, engine, verdict);
      writeResultFile(RESULTS_DIR, test.name, litmusRecord(test, opts, outcome));
      // One column per test and engine: the engine in the column's name.
      const name = engines.length > 1 ? `${test.name} on ${engine!.label}` : test.name;
      columns.push({ ...outcome, test: { ...test, name } });
    }
  }
  console.log(formatComparison(columns, columns.find((c) => c.hw)?.host ?? hostInfo()));
  console.log(`Results written to ${displayPath(RESULTS_DIR)}/<test>/`);
  const outside = columns.some(
    (c) => c.hw && c.verdict && statesOutsideModel(c.hw.histogram, c.verdict).length > 0,
  );
  return outside ? 1 : 0;
}
