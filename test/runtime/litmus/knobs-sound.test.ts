// Every value of every knob changes how often an allowed state shows, never what may show:
// SB+fencembonceonces and MP+fencewmbonceonce+fencermbonceonce, under each knob value (several
// knobs changed at once) and a few settings more, show no state lkmm forbids — nor, on hw
// with the x86 mapping, one TSO forbids; weak likewise, under the knobs it takes.

import { join } from 'node:path';
import test from 'ava';
import { runBounds, statesOutside } from '../../../src/backends/soundness.ts';
import { refuseOnThreads } from '../../../src/backends/threads.ts';
import { loadLitmus } from '../../../src/litmus/load.ts';
import { checkModel, type ModelName } from '../../../src/model/index.ts';
import { DEFAULT_KNOBS, KNOB_NAMES, KNOBS, type Knobs } from '../../../src/runtime/litmus/knobs.ts';
import { allowedCpus } from '../../../src/runtime/litmus/placement.ts';
import { type RunsResult, runLitmusOnHw } from '../../../src/runtime/litmus/run.ts';
import { CORPUS_DIR } from '../../litmus/kernel-tests.ts';

const NEVER = ['SB+fencembonceonces', 'MP+fencewmbonceonce+fencermbonceonce'].map((n) =>
  loadLitmus(join(CORPUS_DIR, `${n}.litmus`)),
);
const RUNS = 4_000;
const SIZE = 2_000;

const canPin = (() => {
  try {
    return allowedCpus().length > 0;
  } catch {
    return false;
  }
})();

/**
 * Every value of every knob other than its default (of the delays, a swept one and one number:
 * every number takes the same path): setting i has the i-th such value of each knob that has
 * one, so that each value runs once in a handful of runs (each run starts its workers: on a
 * busy machine that is what costs); then a few settings together.
 */
const others = Object.fromEntries(
  KNOB_NAMES.map((name) => [
    name,
    (KNOBS[name].candidates as readonly unknown[])
      .filter((v) => v !== undefined && v !== DEFAULT_KNOBS[name])
      .filter((v) => name !== 'delay' || v === 'sweep' || v === 64)
      .filter((v) => name !== 'size' || (v as number) < RUNS)
      .filter(() => name !== 'placement' || canPin),
  ]),
);
const settings: Partial<Knobs>[] = [
  ...Array.from({ length: Math.max(...Object.values(others).map((v) => v.length)) }, (_, i) =>
    Object.fromEntries(
      KNOB_NAMES.flatMap((name) => (i < others[name]!.length ? [[name, others[name]![i]]] : [])),
    ),
  ),
  { start: 'flag', delay: 'sweep', stride: 1, order: 'reversed', stress: 1 },
  { start: 'timebase', pad: 1, stride: 16, size: 1_000 },
  { start: 'none', pad: 2, order: 'reversed' },
];

test('every value of every knob other than its default is in some setting', (t) => {
  for (const name of KNOB_NAMES)
    for (const v of others[name]!)
      t.true(
        settings.some((k) => k[name] === v),
        `${name} ${v}`,
      );
  t.true(settings.length <= 8, `${settings.length} settings`);
});

const describe = (k: Partial<Knobs>) =>
  Object.entries(k)
    .map(([n, v]) => `${n} ${v}`)
    .join(', ');

for (const lt of NEVER) {
  const allowed = new Map<ModelName, ReadonlyMap<string, unknown>>(
    (['lkmm', 'tso'] as const).map((m) => [m, checkModel(lt, m).states]),
  );
  /** The states of `r` outside the bounds of `backend`'s run (lkmm; tso too for x86's mapping). */
  const outside = (backend: string, r: RunsResult) =>
    statesOutside(r.histogram.keys(), runBounds(backend, r.memory), (m) => allowed.get(m));
  test.serial(`${lt.name}: no forbidden state on hw under any knob`, async (t) => {
    t.is(refuseOnThreads('hw', lt), undefined);
    for (const k of settings) {
      const r = await runLitmusOnHw({
        test: lt,
        settings: { runs: RUNS, size: SIZE, seed: 1, ...k },
      });
      t.is(r.runs, RUNS, describe(k));
      t.deepEqual(outside('hw', r), [], describe(k));
      if (process.arch === 'x64') t.deepEqual(runBounds('hw', r.memory), ['lkmm', 'tso']);
      const knobs = { ...DEFAULT_KNOBS, ...k, size: Math.min(k.size ?? SIZE, SIZE) };
      t.deepEqual(r.knobs, knobs, 'the run says which knobs it had');
    }
  });

  test.serial(`${lt.name}: no forbidden state on weak under the knobs it takes`, async (t) => {
    // Weak takes neither a placement (its CPUs are emulated) nor arrays (a stride below a block).
    const forWeak = settings.map(({ placement, ...k }) =>
      k.stride !== undefined && k.stride > 0 && k.stride < 16 ? { ...k, stride: 16 } : k,
    );
    for (const k of forWeak) {
      const r = await runLitmusOnHw({
        test: lt,
        settings: { runs: RUNS / 2, size: SIZE / 2, seed: 3, ...k },
        memory: 'weak',
      });
      t.deepEqual(outside('weak', r), [], describe(k));
    }
  });
}
