// `smplab compare <a> <b> ...`: several litmus tests side by side — the barrier against the
// no-barrier view (MP+poonceonces against MP+fencewmbonceonce+fencermbonceonce).

import { UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { formatComparison } from '../report/compare-text.ts';
import { hostInfo } from '../runtime/host.ts';
import { runOnBackends } from './litmus-backends.ts';
import type { Options } from './options.ts';
import { displayPath, resolveTarget } from './resolve.ts';

export async function compareCommand(opts: Options, signal: AbortSignal): Promise<number> {
  if (opts.args.length < 2) throw new UserError('compare takes two or more litmus tests');
  const columns = [];
  for (const word of opts.args) {
    const target = resolveTarget(word);
    if (target.kind !== 'litmus')
      throw new UserError(`${word} is a program scenario; run shows its variants side by side`);
    const test = { ...loadLitmus(target.path), file: displayPath(target.path) };
    columns.push({ test, ...(await runOnBackends(test, opts, signal)) });
  }
  console.log(formatComparison(columns, hostInfo()));
  return 0;
}
