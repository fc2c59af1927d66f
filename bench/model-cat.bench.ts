// The cat interpreter against the hand-written lkmm: the kernel's linux-kernel.cfg as it is
// (../shared/lkmm/model), run by the interpreter, and src/model/models/lkmm*.ts, on
// - the 1,876 luc tests (../shared/lkmm-luc): CPU time of each, every state ('all', run
//   --on model) and the verdict alone ('verdict', check), alternating passes, the median;
// - tests beyond the shared sets: every family smplab gen writes (26 patterns, every ordering
//   of their edges) and seeded random tests (test/memory/weak/generate.ts): how many agree
//   (verdict, counts, states, flags), and the time of each.
// The figures depend on the machine's load: the load average is recorded beside them.
// Again: `npm run bench model-cat`.

import { existsSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildTest } from '../src/gen/build.ts';
import { FAMILY_KEYS } from '../src/gen/families.ts';
import { familyCycles } from '../src/gen/family.ts';
import { canonical } from '../src/gen/name.ts';
import type { Test } from '../src/litmus/ir.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { resolveSpec } from '../src/model/cat/files.ts';
import { CatModel } from '../src/model/cat/model.ts';
import { checkModel } from '../src/model/index.ts';
import { generatedTest } from '../test/memory/weak/generate.ts';
import { median } from './stats.ts';

const SHARED = fileURLToPath(new URL('../../shared', import.meta.url));
const CFG = `${SHARED}/lkmm/model/linux-kernel.cfg`;
const PASSES = 3;
const RANDOM_TESTS = 1000;

type Model = CatModel | 'lkmm';
type Search = 'all' | 'verdict';

/** CPU seconds of one pass of a model over the tests. */
function cpuPass(tests: Test[], model: Model, search: Search): number {
  const start = process.cpuUsage();
  for (const t of tests) checkModel(t, model, { search, timeoutMs: 600_000 });
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Median CPU seconds of each model over the tests, passes alternating between them. */
function timed(tests: Test[], cat: CatModel, search: Search) {
  cpuPass(tests, cat, search); // warm-up: JIT, the interpreter's per-model compile
  cpuPass(tests, 'lkmm', search);
  const runs = { cat: [] as number[], lkmm: [] as number[] };
  for (let pass = 0; pass < PASSES; pass++) {
    runs.cat.push(cpuPass(tests, cat, search));
    runs.lkmm.push(cpuPass(tests, 'lkmm', search));
  }
  const [c, h] = [median(runs.cat), median(runs.lkmm)];
  return { catCpuS: round(c), lkmmCpuS: round(h), ratio: round(c / h), passes: runs };
}

/** How many tests both models answer alike, and the time each took. */
function agreement(tests: Test[], cat: CatModel) {
  let agree = 0;
  const differ: string[] = [];
  let [catS, lkmmS, catCandidates, lkmmCandidates] = [0, 0, 0, 0];
  for (const t of tests) {
    const a = checkModel(t, cat, { timeoutMs: 600_000 });
    const b = checkModel(t, 'lkmm', { timeoutMs: 600_000 });
    catS += a.elapsedMs / 1000;
    lkmmS += b.elapsedMs / 1000;
    catCandidates += a.candidates;
    lkmmCandidates += b.candidates;
    const show = (v: typeof a) =>
      `${v.observation} ${v.positive}/${v.negative} ${[...v.states.keys()].sort().join('|')} ${v.flags.join(',')}`;
    if (show(a) === show(b)) agree++;
    else differ.push(t.name);
  }
  return {
    tests: tests.length,
    agree,
    differ: differ.slice(0, 20),
    catS: round(catS),
    lkmmS: round(lkmmS),
    candidates: { cat: catCandidates, lkmm: lkmmCandidates },
  };
}

const round = (x: number) => Number(x.toFixed(3));

export default async function (): Promise<Record<string, unknown>> {
  if (!existsSync(CFG)) {
    console.log(`skipped: ${CFG} is absent`);
    return { skipped: `${CFG} absent` };
  }
  const cat = new CatModel(resolveSpec({ conf: CFG }));
  const luc = `${SHARED}/lkmm-luc/litmus-tests`;
  const lucTests = readdirSync(luc).flatMap((d) =>
    readdirSync(`${luc}/${d}`).map((f) => loadLitmus(`${luc}/${d}/${f}`)),
  );
  const load = loadavg()[0]!;
  const all = timed(lucTests, cat, 'all');
  const verdict = timed(lucTests, cat, 'verdict');
  console.log(
    `luc, ${lucTests.length} tests, CPU s (median of ${PASSES}, load ${load.toFixed(1)}): ` +
      `all states: cat ${all.catCpuS}, lkmm ${all.lkmmCpuS} (${all.ratio}×); ` +
      `verdicts: cat ${verdict.catCpuS}, lkmm ${verdict.lkmmCpuS} (${verdict.ratio}×)`,
  );
  const families = Object.values(FAMILY_KEYS)
    .flatMap((key) => familyCycles(key))
    .map((c) => buildTest(canonical(c).name, c));
  const gen = agreement(families, cat);
  console.log(
    `smplab gen's families, ${gen.tests} tests: ${gen.agree} agree; cat ${gen.catS} s, lkmm ${gen.lkmmS} s`,
  );
  const randomTests = Array.from({ length: RANDOM_TESTS }, (_, seed) => generatedTest(seed));
  const random = agreement(randomTests, cat);
  console.log(
    `random tests (seeds 0-${RANDOM_TESTS - 1}): ${random.agree} of ${random.tests} agree; ` +
      `cat ${random.catS} s (${random.candidates.cat} candidates), lkmm ${random.lkmmS} s (${random.candidates.lkmm})`,
  );
  return {
    loadAverage: round(load),
    luc: { tests: lucTests.length, passes: PASSES, all, verdict },
    genFamilies: gen,
    random: { seeds: `0-${RANDOM_TESTS - 1}`, ...random },
  };
}
