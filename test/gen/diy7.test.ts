// gen against diy7 7.58 and herd7 7.58 themselves, as recorded in test/gen/data/ (its README
// says how they ran): every test of every family gen writes has diy7's name for its cycle,
// diy7's Prefetch=, Com=, Orig= lines and condition, and herd7's verdict, counts and final
// states for its file (which herd7 loaded unchanged); and 1,183 further cycles — each family
// with one thread given an edge within one location (Pos, Rfi, Fri, Coi, FenceMbs, DpAddrs …),
// the cycles, four-thread ones — get the same, or are refused as diy7 refuses them,
// with its test name and reason.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { parseCycle } from '../../src/gen/check.ts';
import { cycleText } from '../../src/gen/cycle.ts';
import { FAMILY_KEYS } from '../../src/gen/families.ts';
import { familyCycles } from '../../src/gen/family.ts';
import { type Generated, generate } from '../../src/gen/generate.ts';
import { cycleOfName } from '../../src/gen/parse-name.ts';

const DATA = new URL('./data/', import.meta.url);

/** A TSV of test/gen/data without its header line, as rows of fields. */
const rows = (file: string): string[][] =>
  readFileSync(new URL(file, DATA), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));

const digest = (lines: string[]) =>
  createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12);

/** The model's verdict in the recorded form of herd7's: observation, counts, states and their digest. */
function verdictLine(g: Generated): string {
  const v = g.verdict;
  const states = [...v.states.keys()].sort();
  return `${v.observation} ${v.positive} ${v.negative} ${states.length} ${digest(states)}`;
}

/**
 * The digest of the lines diy7 wrote as gen does: Prefetch=, Com=, Orig= and the condition
 * (not where a dependency is, which diy7's LKMM form, LISA, writes through extra registers).
 */
function headDigest(g: Generated): string {
  const line = (start: string) => g.text.split('\n').find((l) => l.startsWith(start))!;
  const lines = ['Prefetch=', 'Com=', 'Orig='].map(line);
  return digest(g.cycle.includes('Dp') ? lines : [...lines, line('exists')]);
}

/** Per family, each test's name and the digests of diy7's head and herd7's verdict. */
const families = new Map<string, [string, string][]>();
for (const [family, name, head, herd] of rows('families.tsv'))
  families.set(family!, [...(families.get(family!) ?? []), [name!, `${head} ${herd}`]]);

test('the recorded families are every family gen knows', (t) => {
  t.deepEqual([...families.keys()].sort(), Object.keys(FAMILY_KEYS).sort());
});

for (const [family, recorded] of families) {
  test(`${family}: diy7's names and herd7's verdicts for every test of the family`, (t) => {
    const generated = familyCycles(FAMILY_KEYS[family]!).map((c) => generate(c));
    t.deepEqual(generated.map((g) => g.name).sort(), recorded.map(([name]) => name).sort());
    const expected = new Map(recorded);
    const ours = (g: Generated) => `${headDigest(g)} ${verdictLine(g)}`;
    const differ = generated.filter((g) => ours(g) !== expected.get(g.name));
    t.deepEqual(
      differ.map((g) => `${g.name}: gen ${ours(g)}, diy7 and herd7 ${expected.get(g.name)}`),
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

test("1,183 more cycles: diy7's name (which reads back as the cycle) and herd7's verdict, or diy7's refusal", (t) => {
  const differ: string[] = [];
  const recorded = rows('cycles.tsv');
  for (const [cycle, diy7, head, herd] of recorded) {
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
      else if (headDigest(answer) !== head) differ.push(`${cycle}: head differs from diy7's`);
      else if (verdictLine(answer) !== herd)
        differ.push(`${cycle}: model ${verdictLine(answer)}, herd7 ${herd}`);
      else if (cycleText(cycleOfName(answer.name)) !== answer.cycle)
        differ.push(
          `${cycle}: ${answer.name} reads back as ${cycleText(cycleOfName(answer.name))}`,
        );
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
