// The README's scenario table says the model's verdicts as `npm run verdicts` found them: its
// "on model" cells are made from docs/scenario-verdicts.json, that file covers every scenario
// as its file is now (a changed scenario fails here until the verdicts are run again), and what
// the file says of the quick scenarios is what exploring them again says (their verdicts and how
// far they hold; the execution counts may change with the search).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import {
  readmeCell,
  VERDICTS_FILE,
  type VerdictsFile,
  withCells,
} from '../../bench/scenario-verdicts.ts';
import { exploreVariant, notReachedVerdict } from '../../src/explore/scenario.ts';
import { MODELS } from '../../src/model/core/base.ts';
import { loadScenario, scenarioNames } from '../../src/runtime/scenario/load.ts';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const FILE: VerdictsFile = JSON.parse(readFileSync(VERDICTS_FILE, 'utf8'));

test('the verdicts file covers every scenario as its file is now', async (t) => {
  t.deepEqual(
    FILE.scenarios.map((s) => s.scenario),
    scenarioNames(),
  );
  for (const entry of FILE.scenarios) {
    const s = await loadScenario(entry.scenario);
    const hash = createHash('sha256').update(readFileSync(s.file!)).digest('hex').slice(0, 16);
    t.is(
      entry.hash,
      hash,
      `${entry.scenario} changed since its verdicts were run: npm run verdicts`,
    );
  }
});

test("the README's scenario table has a row per scenario, its model cell made from the file", (t) => {
  const table = /<!-- scenarios[^\n]*\n([\s\S]*?)<!-- end scenarios -->/.exec(README)?.[1];
  t.truthy(table, 'the README has its scenario table between the markers');
  const rows = table!.split('\n').filter((l) => l.startsWith('| `'));
  t.deepEqual(rows.map((l) => /^\| `([^`]+)`/.exec(l)![1]).sort(), scenarioNames());
  for (const s of FILE.scenarios) {
    const row = rows.find((l) => l.startsWith(`| \`${s.scenario}\` |`))!;
    t.true(row.endsWith(` | ${readmeCell(s)} |`), `${s.scenario}: npm run verdicts`);
  }
  t.is(withCells(README, FILE), README);
});

test('what the file says of atomic-bool and refcount is what exploring them again says', async (t) => {
  for (const name of ['atomic-bool', 'refcount']) {
    const s = await loadScenario(name);
    const entry = FILE.scenarios.find((x) => x.scenario === name)!;
    for (const v of entry.variants)
      for (const model of MODELS) {
        const kept = v.models[model]!;
        const now = exploreVariant(s, v.variant, { model, timeoutMs: 120_000 });
        const what = `${name} ${v.variant} under ${model}`;
        t.is(now.extent.kind, kept.extent.kind, what);
        t.deepEqual(
          now.outcomes.map((o) => [
            o.outcome,
            o.executions > 0 ? 'reachable' : notReachedVerdict(now.extent),
          ]),
          kept.outcomes.map((o) => [o.outcome, o.verdict]),
          what,
        );
      }
  }
});
