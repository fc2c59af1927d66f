// `smplab gen`'s pipeline: cycle → kernel-style name and rotation (name.ts) → IR (build.ts) →
// C-litmus text (litmus/print.ts) → parsed back (litmus/parse.ts, so a file that would not
// load is our bug, caught here) → the lkmm model's verdict → the text again with its
// `Result:` line. The head is diy7's, as in the kernel's diy7-made tests (../shared/lkmm-luc):
// the name, the description string (the cycle, every edge with its annotations), diy7's
// metadata lines (meta.ts), then the `Result:` comment. A cycle with a ctrl edge also gets a
// comment saying that its `if` is a real control dependency, unlike diy7's (see build.ts).

import type { Expectation } from '../litmus/ir.ts';
import { parseLitmus } from '../litmus/parse.ts';
import { printLitmus } from '../litmus/print.ts';
import { checkModel } from '../model/index.ts';
import { accessLocations, buildTest, CTRL_NOTE } from './build.ts';
import { type Cycle, cycleText } from './cycle.ts';
import { metadataLines } from './meta.ts';
import { canonical } from './name.ts';

/** The model that writes the Result: line: the kernel's, as herd7 runs it. */
export const GEN_MODEL = 'lkmm';

export interface Generated {
  name: string;
  pattern: string;
  /** The cycle as built, diy7-style: every edge with both annotations. */
  cycle: string;
  expected: Expectation;
  text: string;
}

export function generate(c: Cycle, opts: { timeoutMs?: number } = {}): Generated {
  const { pattern, cycle, name } = canonical(c);
  return generateAs(name, pattern, cycle, opts);
}

/** The test of `cycle` as it stands (its first edge starts P0), under the name given. */
export function generateAs(
  name: string,
  pattern: string,
  cycle: Cycle,
  opts: { timeoutMs?: number } = {},
): Generated {
  const test = buildTest(name, cycle);
  const head = [`"${cycleText(cycle)}"`, ...metadataLines(cycle, accessLocations(cycle))];
  if (cycle.edges.some((e) => e.row.dep === 'ctrl')) head.push(CTRL_NOTE);
  // printLitmus's text is `C name`, a blank line, then the rest: the head goes between.
  const described = (text: string) => text.replace(/\n\n/, `\n${head.join('\n')}\n`);
  const first = described(printLitmus(test));
  const verdict = checkModel(parseLitmus(first, test.file), GEN_MODEL, opts);
  const expected = verdict.observation;
  return {
    name,
    pattern,
    cycle: cycleText(cycle),
    expected,
    text: described(printLitmus({ ...test, expected })),
  };
}
