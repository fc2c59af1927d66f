// `smplab gen`'s pipeline: cycle → diy7's rotation and name (name.ts) → IR (build.ts) →
// C-litmus text (litmus/print.ts, diy7 7.58's layout: `{}`, `[x]=2`) → parsed back
// (litmus/parse.ts) and cut as herd7 cuts it (litmus/herd-split.ts), so that a file smplab or
// herd7 would not load is our bug, caught here → the lkmm model's verdict → the text again
// with its `Result:` line. The head is diy7's, as in the kernel's diy7-made tests
// (../shared/lkmm-luc): the name, the description string (the cycle, every edge with its
// annotations), diy7's metadata lines (meta.ts), then the `Result:` comment. A cycle with a
// ctrl edge also gets a comment saying that its `if` is a real control dependency, unlike
// the archive's older diy7 tests (see build.ts).

import { herdSplit } from '../litmus/herd-split.ts';
import type { Expectation } from '../litmus/ir.ts';
import { parseLitmus } from '../litmus/parse.ts';
import { printLitmus } from '../litmus/print.ts';
import { checkModel, type Verdict } from '../model/index.ts';
import { buildTest, CTRL_NOTE } from './build.ts';
import { accessLocations, type Cycle, cycleText } from './cycle.ts';
import { metadataLines } from './meta.ts';
import { canonical } from './name.ts';

/** The model that writes the Result: line: the kernel's, as herd7 runs it. */
export const GEN_MODEL = 'lkmm';

export interface Generated {
  name: string;
  /** diy7's family of the cycle (MP, or a key such as WW+RR+WW+RR): families.ts. */
  family: string;
  /** The cycle as built, diy7-style: every edge with both annotations. */
  cycle: string;
  expected: Expectation;
  /** The lkmm model's verdict on the file: its counts and final states, as herd7 prints them. */
  verdict: Verdict;
  text: string;
}

export function generate(c: Cycle, opts: { timeoutMs?: number } = {}): Generated {
  const { family, cycle, name } = canonical(c);
  return generateAs(name, family, cycle, opts);
}

/** The test of `cycle` as it stands (its first edge starts P0), under the name given. */
function generateAs(
  name: string,
  family: string,
  cycle: Cycle,
  opts: { timeoutMs?: number } = {},
): Generated {
  const test = buildTest(name, cycle);
  const head = [`"${cycleText(cycle)}"`, ...metadataLines(cycle, accessLocations(cycle))];
  if (cycle.edges.some((e) => e.row.dep === 'ctrl')) head.push(CTRL_NOTE);
  // printLitmus's text is `C name`, a blank line, then the rest: the head goes between.
  const described = (text: string) => text.replace(/\n\n/, `\n${head.join('\n')}\n`);
  const first = described(printLitmus(test, 'diy7'));
  const verdict = checkModel(parseLitmus(first, test.file), GEN_MODEL, opts);
  const expected = verdict.observation;
  const text = described(printLitmus({ ...test, expected }, 'diy7'));
  checkHerdSections(name, text);
  return { name, family, cycle: cycleText(cycle), expected, verdict, text };
}

/** herd7 must find the init block and the condition where they are written. */
function checkHerdSections(name: string, text: string): void {
  const s = herdSplit(text);
  const init = text.indexOf('\n{') + 1;
  const final = text.lastIndexOf('\nexists') + 1;
  if ('error' in s || s.init !== init || s.final !== final) {
    const found = 'error' in s ? s.error : `init at ${s.init}, final at ${s.final}`;
    throw new Error(`internal: herd7 would not read gen's ${name} as written (${found})`);
  }
}
