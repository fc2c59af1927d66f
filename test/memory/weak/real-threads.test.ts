// The weak CPU on real worker threads (the litmus runner with memory 'weak'): every state it
// produces is one lkmm allows, over the kernel's tests and our corpus, and a seed that the
// run records. How often the relaxed outcomes show is the weak-coverage benchmark's figure,
// not asserted here (it depends on the machine's timing). Serial: runs share 2 cores.

import { basename } from 'node:path';
import test from 'ava';
import type { Test } from '../../../src/litmus/ir.ts';
import { loadLitmus } from '../../../src/litmus/load.ts';
import { refuseOnWeak } from '../../../src/memory/weak/memory.ts';
import { checkModel } from '../../../src/model/index.ts';
import { runLitmusOnHw } from '../../../src/runtime/litmus/run.ts';
import {
  CORPUS_DIR,
  KERNEL_SKIP_REASON,
  KERNEL_TESTS_DIR,
  litmusFiles,
} from '../../litmus/kernel-tests.ts';

const RUNS = 5_000;

async function outsideLkmm(t: Test): Promise<string[]> {
  const v = checkModel(t, 'lkmm');
  const r = await runLitmusOnHw({
    test: t,
    settings: { runs: RUNS, size: 2_000, seed: 3 },
    memory: 'weak',
  });
  return [...r.histogram.keys()].filter((s) => !v.states.has(s)).map((s) => `${t.name}: ${s}`);
}

async function allSound(files: string[]): Promise<string[]> {
  const bad: string[] = [];
  for (const f of files) {
    const t = loadLitmus(f);
    if (!refuseOnWeak(t)) bad.push(...(await outsideLkmm(t)));
  }
  return bad;
}

if (litmusFiles(KERNEL_TESTS_DIR).length === 0) {
  test.skip(`weak ⊆ lkmm on real threads, kernel tests: ${KERNEL_SKIP_REASON}`, () => {});
} else {
  // one ava test per file: each ends within seconds even on a busy machine
  for (const f of litmusFiles(KERNEL_TESTS_DIR))
    test.serial(`on real threads, weak ⊆ lkmm on the kernel test ${basename(f)}`, async (t) => {
      t.deepEqual(await allSound([f]), []);
    });
}

for (const f of litmusFiles(CORPUS_DIR))
  test.serial(`on real threads, weak ⊆ lkmm on scenarios/litmus/${basename(f)}`, async (t) => {
    t.deepEqual(await allSound([f]), []);
  });
