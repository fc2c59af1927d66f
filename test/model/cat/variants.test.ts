// Models read from files agree with herd7 7.58 on every test: ../shared/lkmm-variants holds nine
// models (seven one-line edits of linux-kernel.cat, and herd7's own sc.cat and minimal.cat over
// the kernel's bell and macros) with herd7's output for each on the kernel's 35 tests and the
// 1,876 luc tests. For each variant, the model is read as its run.txt says (`--conf`, `--cat`),
// and every test's observation, Positive/Negative counts, final states and flags must be
// herd7's. Skipped, saying so, where ../shared is absent.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../../src/litmus/load.ts';
import { type CatRequest, resolveSpec } from '../../../src/model/cat/files.ts';
import { CatModel } from '../../../src/model/cat/model.ts';
import { checkModel } from '../../../src/model/index.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHARED = `${ROOT}../shared`;
const VARIANTS = `${SHARED}/lkmm-variants`;

/** The test sets herd7 ran each variant on: litmus folder and output folder. */
const SETS = [
  { tests: `${SHARED}/lkmm/litmus-tests`, out: 'herd7-out/lkmm' },
  { tests: `${SHARED}/lkmm-luc/litmus-tests`, out: 'herd7-out/lkmm-luc' },
];

interface HerdOut {
  observation: string;
  positive: number;
  negative: number;
  states: string[];
  flags: string[];
}

function readHerdOut(file: string): HerdOut {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('States '));
  const count = Number(lines[at]!.slice('States '.length));
  const witnesses = /Positive: (\d+) Negative: (\d+)/.exec(text);
  const observation = /^Observation \S+ (Never|Sometimes|Always)/m.exec(text);
  if (at < 0 || !witnesses || !observation) throw new Error(`${file}: not a herd7 output`);
  return {
    observation: observation[1]!,
    positive: Number(witnesses[1]),
    negative: Number(witnesses[2]),
    states: lines
      .slice(at + 1, at + 1 + count)
      .map((l) => l.trim())
      .sort(),
    flags: lines.flatMap((l) => /^Flag (\S+)/.exec(l)?.[1] ?? []).sort(),
  };
}

/** The model run.txt names: `--conf F --cat F`, {dir} the variant's folder, {shared} ../shared. */
function requestOf(dir: string): CatRequest {
  const words = readFileSync(`${dir}/run.txt`, 'utf8')
    .trim()
    .replaceAll('{dir}', dir)
    .replaceAll('{shared}', SHARED)
    .split(/\s+/);
  const req: CatRequest = {};
  for (let i = 0; i < words.length; i += 2) {
    const flag = words[i]!.replace(/^--/, '');
    if (flag !== 'conf' && flag !== 'cat' && flag !== 'bell' && flag !== 'macros')
      throw new Error(`run.txt: ${words[i]}?`);
    req[flag] = words[i + 1]!;
  }
  return req;
}

/** Files ending in `ext` under dir, by their path below it. */
const filesIn = (dir: string, ext: string, rel = ''): string[] =>
  readdirSync(`${dir}${rel}`, { withFileTypes: true }).flatMap((f) =>
    f.isDirectory()
      ? filesIn(dir, ext, `${rel}/${f.name}`)
      : f.name.endsWith(ext)
        ? [`${rel}/${f.name}`.slice(1)]
        : [],
  );

if (!existsSync(VARIANTS)) {
  test.skip(`models read from files agree with herd7: ${VARIANTS} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  const variants = readdirSync(VARIANTS).filter((d) => existsSync(`${VARIANTS}/${d}/run.txt`));
  test('nine variants, each with herd7 output for the 1,911 tests', (t) => {
    t.is(variants.length, 9);
    for (const v of variants) {
      const outs = SETS.reduce(
        (n, s) => n + filesIn(`${VARIANTS}/${v}/${s.out}`, '.out').length,
        0,
      );
      t.is(outs, 1911, v);
    }
  });
  for (const variant of variants) {
    test.serial(
      `${variant}: every test as herd7 answers it (verdict, counts, states, flags)`,
      async (t) => {
        // Seconds of CPU each: yield first, so that the variant before's result reaches ava, whose
        // timeout counts from the last result it heard (nine in one go outlast it on a busy machine).
        await new Promise((r) => setImmediate(r));
        const dir = `${VARIANTS}/${variant}`;
        const model = new CatModel(resolveSpec(requestOf(dir)));
        const differ: string[] = [];
        let compared = 0;
        for (const set of SETS) {
          for (const rel of filesIn(set.tests, '.litmus')) {
            const out = `${dir}/${set.out}/${rel}.out`;
            if (!existsSync(out)) continue; // herd7 refused the test under this model
            compared++;
            const herd = readHerdOut(out);
            const v = checkModel(loadLitmus(`${set.tests}/${rel}`), model);
            const ours: HerdOut = {
              observation: v.observation,
              positive: v.positive,
              negative: v.negative,
              states: [...v.states.keys()].sort(),
              flags: v.flags,
            };
            if (JSON.stringify(ours) !== JSON.stringify(herd))
              differ.push(`${rel}: ours ${JSON.stringify(ours)}, herd7 ${JSON.stringify(herd)}`);
          }
        }
        t.is(compared, 1911);
        t.deepEqual(differ.slice(0, 5), [], `${differ.length} of ${compared} differ`);
      },
    );
  }
}
