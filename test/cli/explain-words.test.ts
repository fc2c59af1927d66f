// A scenario's --explain takes the outcome's words after the scenario's name or before it, as
// the help's `--explain OUTCOME` reads: `run --explain stale atomic-bool` explains the stale
// outcome, as `run atomic-bool --explain stale` does.

import test from 'ava';
import { smplab } from './smplab.ts';

const STALE =
  /^"flag seen, data stale" in atomic-bool once under lkmm: reachable — \d+ of \d+ executions reach it\. One of them:$/m;

for (const args of [
  ['atomic-bool', '--explain', 'stale'],
  ['--explain', 'stale', 'atomic-bool'],
])
  test(`run ${args.join(' ')} explains the stale outcome`, async (t) => {
    const r = await smplab('run', ...args, '--on', 'model', '--variant', 'once');
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, STALE);
  });
