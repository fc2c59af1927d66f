// The weak CPU is sound: every final state it produces is one lkmm allows (checkModel, the
// exhaustive model, is the oracle). In process (interleave.ts: the same memory object and
// compiled code, a seeded scheduler, deterministic) over the kernel's tests, our corpus, the
// 1,876 diy7 tests of the luc set and generated tests (random ones, and ones of the shapes
// weak used to miss: shapes.ts); on real threads (the litmus runner with
// memory 'weak') over the kernel's tests and our corpus. Where ../shared is absent, those
// parts are skipped with the reason.

import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import test from 'ava';
import type { Test } from '../../../src/litmus/ir.ts';
import { loadLitmus } from '../../../src/litmus/load.ts';
import type { Histogram } from '../../../src/litmus/state.ts';
import { runWeakInProcess } from '../../../src/memory/weak/interleave.ts';
import { refuseOnWeak } from '../../../src/memory/weak/memory.ts';
import { checkModel } from '../../../src/model/index.ts';
import {
  CORPUS_DIR,
  KERNEL_SKIP_REASON,
  KERNEL_TESTS_DIR,
  litmusFiles,
  REPO_ROOT,
} from '../../litmus/kernel-tests.ts';
import { generatedTest } from './generate.ts';
import { SHAPES, shapeTest } from './shapes.ts';

/** A turn of the event loop: ava's worker sends the results so far. */
const breathe = () => new Promise((resolve) => setTimeout(resolve, 1));

const LUC_DIR = join(REPO_ROOT, '../shared/lkmm-luc/litmus-tests');
/** luc tests per ava test. */
const LUC_SLICE = 20;

/** The states of `h` lkmm does not allow (empty when sound), and whether a witness showed. */
function judge(t: Test, h: Histogram) {
  const v = checkModel(t, 'lkmm');
  const outside = [...h.keys()].filter((s) => !v.states.has(s));
  const witnessed = [...h.keys()].some((s) => v.states.get(s)?.witness === true);
  const allowed = v.observation !== 'Never' && v.positive > 0;
  return { outside, witnessed, allowed };
}

/** Each test the weak CPU runs, in process: `runs` instances; the tests it showed a witness of. */
function soundInProcess(
  files: string[],
  runs: number,
): { unsound: string[]; shown: string[]; allowed: string[] } {
  const unsound: string[] = [];
  const shown: string[] = [];
  const allowed: string[] = [];
  for (const f of files) {
    const t = loadLitmus(f);
    if (refuseOnWeak(t)) continue;
    const j = judge(t, runWeakInProcess(t, { runs, seed: 1 }).histogram);
    if (j.outside.length) unsound.push(`${t.name}: ${j.outside.join(' | ')}`);
    if (j.allowed) allowed.push(t.name);
    if (j.allowed && j.witnessed) shown.push(t.name);
  }
  return { unsound, shown, allowed };
}

// One ava test per file (or per slice of files), so that each ends within seconds of CPU even
// on a busy machine: ava's timeout counts from the last result it received, and a worker
// sends none while synchronous tests run back to back. So each test is serial and first lets
// the event loop run (breathe), which sends the results of the tests before it.
if (litmusFiles(KERNEL_TESTS_DIR).length === 0) {
  test.skip(`weak ⊆ lkmm on the kernel's tests: ${KERNEL_SKIP_REASON}`, () => {});
} else {
  for (const f of litmusFiles(KERNEL_TESTS_DIR))
    test.serial(
      `in process, weak ⊆ lkmm on the kernel test ${basename(f)}, and a Sometimes test shows its witness`,
      async (t) => {
        await breathe();
        const r = soundInProcess([f], 2_000);
        t.deepEqual(r.unsound, []);
        t.deepEqual(r.shown, r.allowed);
      },
    );
  test.serial('the kernel tests have 12 that lkmm allows (Sometimes)', async (t) => {
    await breathe();
    const sometimes = litmusFiles(KERNEL_TESTS_DIR).filter((f) => {
      const v = checkModel(loadLitmus(f), 'lkmm');
      return v.observation !== 'Never' && v.positive > 0;
    });
    t.is(sometimes.length, 12);
  });
}

for (const f of litmusFiles(CORPUS_DIR))
  test.serial(`in process, weak ⊆ lkmm on scenarios/litmus/${basename(f)}`, async (t) => {
    await breathe();
    const r = soundInProcess([f], 2_000);
    t.deepEqual(r.unsound, []);
    if (basename(f) === 'MP+poonceonces.litmus') t.deepEqual(r.shown, ['MP+poonceonces']);
  });

if (!existsSync(LUC_DIR)) {
  test.skip(`weak ⊆ lkmm on the luc set: ${LUC_DIR} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  // in slices, so that each test ends within seconds even on a busy machine (ava's timeout
  // counts from the last test that ended)
  for (const folder of readdirSync(LUC_DIR).sort()) {
    const files = litmusFiles(join(LUC_DIR, folder));
    for (let from = 0; from < files.length; from += LUC_SLICE) {
      const slice = files.slice(from, from + LUC_SLICE);
      test.serial(
        `in process, weak ⊆ lkmm on the luc tests of ${folder}, ${from + 1} to ${from + slice.length}`,
        async (t) => {
          await breathe();
          const r = soundInProcess(slice, 200);
          t.deepEqual(r.unsound, []);
          t.true(r.allowed.length === 0 || r.shown.length > 0);
        },
      );
    }
  }
}

/** The property's seed: WEAK_SEED=N replays a run (the failure message prints it). */
const PROPERTY_SEED = Number(process.env.WEAK_SEED ?? 20261130);
const PROPERTY_TESTS = 150;

const PROPERTY_SLICE = 10;

for (let from = 0; from < PROPERTY_TESTS; from += PROPERTY_SLICE)
  test.serial(
    `in process, weak ⊆ lkmm on generated tests ${from + 1} to ${from + PROPERTY_SLICE} of ${PROPERTY_TESTS} (seed ${PROPERTY_SEED}; replay with WEAK_SEED=${PROPERTY_SEED})`,
    async (t) => {
      await breathe();
      for (let k = from; k < from + PROPERTY_SLICE; k++) {
        const gen = generatedTest(PROPERTY_SEED + k);
        const j = judge(
          gen,
          runWeakInProcess(gen, { runs: 300, seed: PROPERTY_SEED + k }).histogram,
        );
        t.deepEqual(
          j.outside,
          [],
          `generated test ${PROPERTY_SEED + k} (WEAK_SEED=${PROPERTY_SEED}, k=${k})`,
        );
      }
    },
  );

const SHAPE_TESTS = 12;

for (const shape of SHAPES) {
  test.serial(
    `in process, weak ⊆ lkmm on ${SHAPE_TESTS} generated ${shape} tests (seed ${PROPERTY_SEED}; replay with WEAK_SEED=${PROPERTY_SEED})`,
    async (t) => {
      await breathe();
      for (let k = 0; k < SHAPE_TESTS; k++) {
        const gen = shapeTest(shape, PROPERTY_SEED + k);
        if (refuseOnWeak(gen)) continue;
        const j = judge(
          gen,
          runWeakInProcess(gen, { runs: 300, seed: PROPERTY_SEED + k }).histogram,
        );
        t.deepEqual(j.outside, [], `${gen.name} (WEAK_SEED=${PROPERTY_SEED}, k=${k})`);
      }
    },
  );
}

test.serial('in process, the same seed gives the same histogram', async (t) => {
  await breathe();
  const f = litmusFiles(CORPUS_DIR).find((p) => p.endsWith('/MP+poonceonces.litmus'))!;
  const mp = loadLitmus(f);
  t.deepEqual(
    [...runWeakInProcess(mp, { runs: 500, seed: 9 }).histogram],
    [...runWeakInProcess(mp, { runs: 500, seed: 9 }).histogram],
  );
});
