// gen against diy7 7.58 and herd7 7.58 themselves, as recorded in test/gen/data/ (its README
// says how they ran): every test of every family gen writes has diy7's name for its cycle and
// herd7's verdict, counts and final states for its file (which herd7 loaded unchanged); and
// 1,183 further cycles — each family with one thread given an edge within one location (Pos,
// Rfi, Fri, Coi, FenceMbs, DpAddrs …), the issue's cycles, four-thread ones — get diy7's name
// and herd7's verdict, or are refused as diy7 refuses them, with its test name and reason.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { parseCycle } from '../../src/gen/check.ts';
import { FAMILY_KEYS } from '../../src/gen/families.ts';
import { familyCycles } from '../../src/gen/family.ts';
import { type Generated, generate } from '../../src/gen/generate.ts';

const DATA = new URL('./data/', import.meta.url);

/** A TSV of test/gen/data without its header line, as rows of fields. */
const rows = (file: string): string[][] =>
  readFileSync(new URL(file, DATA), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));

/** The model's verdict in the recorded form of herd7's: observation, counts, states and their digest. */
function verdictLine(g: Generated): string {
  const v = g.verdict;
  const states = [...v.states.keys()].sort();
  const digest = createHash('sha256').update(states.join('\n')).digest('hex').slice(0, 12);
  return `${v.observation} ${v.positive} ${v.negative} ${states.length} ${digest}`;
}

const families = new Map<string, [string, string][]>();
for (const [family, name, herd] of rows('families.tsv'))
  families.set(family!, [...(families.get(family!) ?? []), [name!, herd!]]);

test('the recorded families are every family gen knows', (t) => {
  t.deepEqual([...families.keys()].sort(), Object.keys(FAMILY_KEYS).sort());
});

for (const [family, recorded] of families) {
  test(`${family}: diy7's names and herd7's verdicts for every test of the family`, (t) => {
    const generated = familyCycles(FAMILY_KEYS[family]!).map((c) => generate(c));
    t.deepEqual(generated.map((g) => g.name).sort(), recorded.map(([name]) => name).sort());
    const herd = new Map(recorded);
    const differ = generated.filter((g) => verdictLine(g) !== herd.get(g.name));
    t.deepEqual(
      differ.map((g) => `${g.name}: model ${verdictLine(g)}, herd7 ${herd.get(g.name)}`),
      [],
    );
  });
}

/** diy7's refusal, `Test NAME [CYCLE] failed: REASON`, as gen words it (see check.ts). */
function genRefusal(diy7: string): { name: string; reason: string } | undefined {
  const m = /^refused: Test (\S+) \[.*\] failed: (.*)$/.exec(diy7);
  if (!m) return undefined;
  const reason = m[2]!.replace('accros', 'across');
  return { name: m[1]!, reason: reason[0]!.toLowerCase() + reason.slice(1) };
}

test("1,183 more cycles: diy7's name and herd7's verdict, or diy7's refusal", (t) => {
  const differ: string[] = [];
  const recorded = rows('cycles.tsv');
  for (const [cycle, diy7, herd] of recorded) {
    let answer: Generated | UserError;
    try {
      answer = generate(parseCycle(cycle!));
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      answer = e;
    }
    if (!diy7!.startsWith('refused')) {
      if (answer instanceof UserError)
        differ.push(`${cycle}: refused (${answer.message}), diy7 ${diy7}`);
      else if (answer.name !== diy7) differ.push(`${cycle}: named ${answer.name}, diy7 ${diy7}`);
      else if (verdictLine(answer) !== herd)
        differ.push(`${cycle}: model ${verdictLine(answer)}, herd7 ${herd}`);
      continue;
    }
    if (!(answer instanceof UserError)) {
      differ.push(`${cycle}: written as ${answer.name}, diy7 ${diy7}`);
      continue;
    }
    // diy7's refusals of a test it has named say which test and why; the others (directions
    // or annotations that do not meet) are refused before naming, here as there.
    const refusal = genRefusal(diy7!);
    const said = refusal && `diy7 refuses ${refusal.name} [`;
    if (
      refusal &&
      !(answer.message.startsWith(said!) && answer.message.includes(`: ${refusal.reason} (`))
    )
      differ.push(`${cycle}: refused as '${answer.message}', diy7 ${diy7}`);
  }
  t.deepEqual(differ.slice(0, 10), []);
  t.is(recorded.length, 1183);
  t.is(recorded.filter(([, d]) => d!.startsWith('refused')).length, 191);
});
