// `smplab gen`: C-litmus tests from relaxation cycles, as diy7 makes them, named as the kernel
// names its tests, each with its `Result:` line from the lkmm model.
//
//   smplab gen SB | MP+pooncerelease+poacquireonce      a family, bare or as a test name
//   smplab gen --cycle "Fre PodWR Fre PodWR"             any cycle of the edges of gen/edges.ts
//   smplab gen --family MP                               every ordering of every edge (family.ts)
//
// Each file is named and written as diy7 7.58 writes its LKMM tests (description, Cycle=,
// Relax=, … Orig=, `{}`, `[x]=2`), ctrl as a real `if` (gen/build.ts), and loads in herd7
// unchanged. Files go to -o DIR (default litmus-gen/, a family in litmus-gen/<FAMILY>/);
// `-o -` prints one test instead. A file already there with other text is not overwritten
// without --force, and then nothing is written at all.

import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { type GenRequest, generateFamily, generateOne, writeTests } from '../lab/gen.ts';
import { count, table } from '../report/format.ts';
import { DEFAULT_GEN_DIR } from './flags.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { GEN } from './schema.ts';

export function genCommand(line: CommandLine): number {
  const flags = takeFlags(line, GEN, 'gen');
  const what = genRequest(line.args, flags);
  if (what.kind === 'family') {
    const { pattern, tests } = generateFamily(what.pattern);
    const dir = flags.out ?? join(DEFAULT_GEN_DIR, pattern);
    if (dir === '-') throw new UserError('-o - prints one test; a family needs a folder');
    writeTests(tests, dir, flags.force);
    console.log(table([['test', 'Result (lkmm)'], ...tests.map((t) => [t.name, t.expected])]));
    const never = tests.filter((t) => t.expected === 'Never').length;
    console.log(
      `\n${count(tests.length)} tests of ${pattern} in ${dir}: ${count(never)} Never, ` +
        `${count(tests.length - never)} allowed. Check them: smplab check ${dir}`,
    );
    return 0;
  }
  const t = generateOne(what);
  if (flags.out === '-') {
    process.stdout.write(t.text);
    return 0;
  }
  const dir = flags.out ?? DEFAULT_GEN_DIR;
  writeTests([t], dir, flags.force);
  console.log(`${join(dir, `${t.name}.litmus`)}  Result: ${t.expected}  (${t.cycle})`);
  return 0;
}

/** Exactly one of: a name (positional), --cycle, --family. */
function genRequest(args: string[], flags: { cycle?: string; family?: string }): GenRequest {
  const given = [args.length > 0, flags.cycle !== undefined, flags.family !== undefined];
  if (given.filter(Boolean).length !== 1 || args.length > 1) {
    throw new UserError(
      'gen takes one of: a pattern or test name (gen SB), --cycle "EDGES", --family PATTERN',
    );
  }
  if (flags.cycle !== undefined) return { kind: 'cycle', text: flags.cycle };
  if (flags.family !== undefined) return { kind: 'family', pattern: flags.family };
  return { kind: 'name', name: args[0]! };
}
