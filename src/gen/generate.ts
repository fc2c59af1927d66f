// `smplab gen`'s pipeline: cycle → kernel-style name and rotation (name.ts) → IR (build.ts) →
// C-litmus text (litmus/print.ts) → parsed back (litmus/parse.ts, so a file that would not
// load is our bug, caught here) → the lkmm model's verdict → the text again with its
// `Result:` line. The text carries diy7's description string (the cycle, every edge with its
// annotations) after the name, as the kernel's diy7-made tests do; herd7 reads it as the
// test's description. diy7's other metadata lines (Cycle=, Relax= …) are left out.

import type { Expectation } from '../litmus/ir.ts';
import { parseLitmus } from '../litmus/parse.ts';
import { printLitmus } from '../litmus/print.ts';
import { checkModel } from '../model/index.ts';
import { buildTest } from './build.ts';
import { type Cycle, cycleText } from './cycle.ts';
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
  const test = buildTest(name, cycle);
  const described = (text: string) => text.replace(/\n/, `\n"${cycleText(cycle)}"\n`);
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
