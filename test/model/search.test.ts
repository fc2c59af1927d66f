// The fast paths against the exhaustive one. For every corpus test and every kernel test, under
// each model: the verdict-only search (check's) gives the exhaustive search's observation, and
// the states it met are states the exhaustive search lists; the exhaustive search split into
// shares (as runModel's workers run it) adds up to the same states and counts; the search that
// abandons prefixes breaking an axiom (prefix.ts), at its default and checking every prefix,
// gives the unpruned search's states and counts. On the lkmm-scale tests small enough to
// enumerate, both agree with herd7's output.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { addVerdicts } from '../../src/model/check/parallel.ts';
import { checkModel, MODELS, runModel, type Verdict } from '../../src/model/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIRS = [`${ROOT}scenarios/litmus`, `${ROOT}../shared/lkmm/litmus-tests`];
const SCALE = `${ROOT}../shared/lkmm-scale`;

const files = DIRS.filter((d) => existsSync(d)).flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => `${d}/${f}`),
);

/** States with their witness flag and execution count, in one comparable order. */
const statesOf = (v: Verdict) =>
  [...v.states].map(([k, e]) => `${k} ${e.witness} ${e.executions}`).sort();

for (const file of files) {
  const name = file.slice(file.lastIndexOf('/', file.lastIndexOf('/') - 1) + 1);
  test(`verdict-only and split searches agree with the exhaustive one: ${name}`, (t) => {
    const litmus = loadLitmus(file);
    for (const model of MODELS) {
      const all = checkModel(litmus, model, { prune: false });
      const quick = checkModel(litmus, model, { search: 'verdict' });
      t.is(quick.observation, all.observation, `${model}: observation`);
      const eagerQuick = checkModel(litmus, model, { search: 'verdict', pruneMin: 1 });
      t.is(eagerQuick.observation, all.observation, `${model}: observation, every prefix checked`);
      for (const [how, opts] of [
        ['default pruning', {}],
        ['every prefix checked', { pruneMin: 1 }],
      ] as const) {
        const pruned = checkModel(litmus, model, opts);
        t.deepEqual(statesOf(pruned), statesOf(all), `${model}, ${how}: states`);
        t.deepEqual(
          [pruned.observation, pruned.positive, pruned.negative, pruned.flags],
          [all.observation, all.positive, all.negative, all.flags],
          `${model}, ${how}: counts`,
        );
        t.true(pruned.candidates <= all.candidates, `${model}, ${how}: no more candidates`);
      }
      for (const key of quick.states.keys()) t.true(all.states.has(key), `${model}: ${key}`);
      t.true(quick.candidates <= all.candidates, `${model}: no more candidates than all`);
      for (const parts of [2, 3]) {
        const shares = Array.from({ length: parts }, (_, part) =>
          checkModel(litmus, model, { share: { part, parts }, prune: false }),
        );
        const sum = addVerdicts(shares, model, 'all', 0);
        t.deepEqual(statesOf(sum), statesOf(all), `${model}, ${parts} shares: states`);
        t.deepEqual(
          [sum.positive, sum.negative, sum.candidates, sum.flags],
          [all.positive, all.negative, all.candidates, all.flags],
          `${model}, ${parts} shares: counts`,
        );
      }
    }
  });
}

/** herd7's final states and observation from a .out file. */
function herdOut(text: string): { states: string[]; observation: string } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('States '));
  const count = Number(lines[at]!.slice('States '.length));
  const observation = /^Observation \S+ (Never|Sometimes|Always)/m.exec(text)![1]!;
  return { states: lines.slice(at + 1, at + 1 + count).map((l) => l.trim()), observation };
}

/** Tests of lkmm-scale with herd7's output and few enough executions for the suite (≤ 256). */
const SMALL_SCALE = [
  'C-RW-G+RW-R+RW-G+RW-G+RW-Rr+RW-RC+RW-R',
  'C-RW-G+RW-r+RW-C+RW-B+RW-G+RW-B+RW-B',
  'C-RW-G+RW-Rr+RW-Ra+RW-R+RW-R+RW-R+RW-G+RW-R',
  'C-RW-G+RW-Rrd+RW-D+RW-R+RW-R+RW-R+RW-R+RW-R',
];

if (!existsSync(SCALE)) {
  test.skip(`lkmm-scale: ${SCALE} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  for (const name of SMALL_SCALE) {
    test(`lkmm-scale ${name}: both searches agree with herd7 and the Result line`, (t) => {
      const litmus = loadLitmus(`${SCALE}/${name}.litmus`);
      const herd = herdOut(readFileSync(`${SCALE}/herd7-out/${name}.litmus.out`, 'utf8'));
      const all = checkModel(litmus, 'lkmm', { timeoutMs: 120_000 });
      const quick = checkModel(litmus, 'lkmm', { search: 'verdict' });
      t.deepEqual([...all.states.keys()].sort(), [...herd.states].sort());
      t.is(all.observation as string, herd.observation);
      t.is(quick.observation, litmus.expected!);
      t.true(quick.candidates <= 2, `${quick.candidates} candidates for the verdict`);
    });
  }
  test('lkmm-scale: every verdict-only search matches its Result line', (t) => {
    for (const f of readdirSync(SCALE).filter((x) => x.endsWith('.litmus'))) {
      const litmus = loadLitmus(`${SCALE}/${f}`);
      t.is(checkModel(litmus, 'lkmm', { search: 'verdict' }).observation, litmus.expected!, f);
    }
  });
}

test('runModel on worker threads gives checkModel’s states and counts', async (t) => {
  const litmus: Test = loadLitmus(`${ROOT}scenarios/litmus/SB+poonceonces.litmus`);
  const all = checkModel(litmus, 'lkmm');
  const par = await runModel(litmus, 'lkmm', { workers: 2, timeoutMs: 120_000, quickTryMs: 0 });
  t.deepEqual(statesOf(par), statesOf(all));
  t.deepEqual(
    [par.positive, par.negative, par.candidates],
    [all.positive, all.negative, all.candidates],
  );
});

/** MP with the reader first: its writer has one trace, so it is known from the first prefix. */
const MP_READER_FIRST = `C MP+fencermbonceonce+fencewmbonceonce-reversed

{}

P0(int *x, int *y)
{
	int r0 = READ_ONCE(*y);
	smp_rmb();
	int r1 = READ_ONCE(*x);
}

P1(int *x, int *y)
{
	WRITE_ONCE(*x, 1);
	smp_wmb();
	WRITE_ONCE(*y, 1);
}

exists (0:r0=1 /\\ 0:r1=0)
`;

test('pruning abandons the prefix that breaks an axiom, with the same states and counts', (t) => {
  const litmus = parseLitmus(MP_READER_FIRST, 'MP-reversed.litmus');
  for (const model of MODELS) {
    const bare = checkModel(litmus, model, { prune: false });
    const pruned = checkModel(litmus, model, { pruneMin: 1 });
    t.is(bare.pruned, 0, model);
    // P0 reading y=1 from P1 and x=0 from the initial write: a cycle in every model (hb in
    // LKMM, ghb in TSO, po | com in SC), seen before any rf/co choice is made.
    t.is(pruned.pruned, 1, model);
    t.is(pruned.candidates, bare.candidates - 1, model);
    t.is(pruned.observation, 'Never', model);
    t.deepEqual(statesOf(pruned), statesOf(bare), model);
    t.deepEqual([pruned.positive, pruned.negative], [bare.positive, bare.negative], model);
  }
});

test('SB+fencembonceonces under lkmm: the rf/co walk abandons the forbidden choice', (t) => {
  const litmus = loadLitmus(`${ROOT}scenarios/litmus/SB+fencembonceonces.litmus`);
  const bare = checkModel(litmus, 'lkmm', { prune: false });
  const pruned = checkModel(litmus, 'lkmm', { pruneMin: 1 });
  // Two threads, each with two traces: only inside the combination r0=0, r1=0 is the pb cycle
  // (mb ; fre twice) fixed, as soon as x's rf and co are chosen, before y's.
  t.true(pruned.pruned > 0, `${pruned.pruned} abandoned`);
  t.is(pruned.candidates, bare.candidates - 1);
  t.deepEqual(statesOf(pruned), statesOf(bare));
  t.deepEqual(
    [pruned.observation, pruned.positive, pruned.negative, pruned.flags],
    [bare.observation, bare.positive, bare.negative, bare.flags],
  );
});

test('pruning at the default threshold leaves prefixes with little below them alone', (t) => {
  const litmus = parseLitmus(MP_READER_FIRST, 'MP-reversed.litmus');
  // One combination below P0's prefix: the check would cost what it saves.
  t.is(checkModel(litmus, 'lkmm').pruned, 0);
});
