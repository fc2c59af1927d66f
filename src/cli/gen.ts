// `smplab gen`: C-litmus tests from relaxation cycles, as diy7 makes them, named as the kernel
// names its tests, each with its `Result:` line from the lkmm model.
//
//   smplab gen SB | MP+pooncerelease+poacquireonce      a pattern, bare or as a kernel-style name
//   smplab gen --cycle "Fre PodWR Fre PodWR"             any cycle of the edges of gen/edges.ts
//   smplab gen --family MP                               every ordering of every edge (family.ts)
//
// Files go to -o DIR (default litmus-gen/, a family in litmus-gen/<PATTERN>/); `-o -` prints
// one test instead. A file already there with other text is not overwritten without --force,
// and then nothing is written at all.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';
import { parseCycle } from '../gen/cycle.ts';
import { familyCycles } from '../gen/family.ts';
import { type Generated, generate } from '../gen/generate.ts';
import { cycleOfName } from '../gen/parse-name.ts';
import { patternCycle } from '../gen/patterns.ts';
import { count, table } from '../report/format.ts';

export const DEFAULT_GEN_DIR = 'litmus-gen';

interface GenOptions {
  what:
    | { kind: 'name'; name: string }
    | { kind: 'cycle'; text: string }
    | { kind: 'family'; pattern: string };
  out?: string;
  force: boolean;
}

export function parseGenOptions(argv: string[]): GenOptions {
  let parsed: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        cycle: { type: 'string' },
        family: { type: 'string' },
        out: { type: 'string', short: 'o' },
        force: { type: 'boolean' },
      },
    });
  try {
    parsed = parse();
  } catch (e) {
    throw new UserError(
      `${(e as Error).message.replace(/\. To specify.*$/s, '')} (smplab help lists the options)`,
    );
  }
  const { values, positionals } = parsed;
  const given = [positionals.length > 0, values.cycle !== undefined, values.family !== undefined];
  if (given.filter(Boolean).length !== 1 || positionals.length > 1) {
    throw new UserError(
      'gen takes one of: a pattern or test name (gen SB), --cycle "EDGES", --family PATTERN',
    );
  }
  const what: GenOptions['what'] =
    values.cycle !== undefined
      ? { kind: 'cycle', text: values.cycle }
      : values.family !== undefined
        ? { kind: 'family', pattern: values.family }
        : { kind: 'name', name: positionals[0]! };
  return { what, out: values.out, force: values.force ?? false };
}

export function genCommand(argv: string[]): number {
  const opts = parseGenOptions(argv);
  const { what } = opts;
  if (what.kind === 'family') {
    const pattern = patternCycle(what.pattern).name;
    const tests = familyCycles(pattern).map((c) => generate(c));
    const dir = opts.out ?? join(DEFAULT_GEN_DIR, pattern);
    if (dir === '-') throw new UserError('-o - prints one test; a family needs a folder');
    writeAll(tests, dir, opts.force);
    console.log(table([['test', 'Result (lkmm)'], ...tests.map((t) => [t.name, t.expected])]));
    const never = tests.filter((t) => t.expected === 'Never').length;
    console.log(
      `\n${count(tests.length)} tests of ${pattern} in ${dir}: ${count(never)} Never, ` +
        `${count(tests.length - never)} allowed. Check them: smplab check ${dir}`,
    );
    return 0;
  }
  const t = generate(what.kind === 'cycle' ? parseCycle(what.text) : cycleOfName(what.name));
  if (opts.out === '-') {
    process.stdout.write(t.text);
    return 0;
  }
  const dir = opts.out ?? DEFAULT_GEN_DIR;
  writeAll([t], dir, opts.force);
  console.log(`${join(dir, `${t.name}.litmus`)}  Result: ${t.expected}  (${t.cycle})`);
  return 0;
}

/** Writes every test as DIR/NAME.litmus; refuses, writing none, if one would replace other text. */
function writeAll(tests: Generated[], dir: string, force: boolean): void {
  const paths = tests.map((t) => join(dir, `${t.name}.litmus`));
  const differ = paths.filter(
    (p, i) => existsSync(p) && readFileSync(p, 'utf8') !== tests[i]!.text,
  );
  if (differ.length > 0 && !force) {
    throw new UserError(
      `${differ[0]!}${differ.length > 1 ? ` and ${differ.length - 1} more files` : ''} ` +
        `already ${differ.length > 1 ? 'exist' : 'exists'} with other text; nothing written ` +
        '(--force overwrites, -o DIR writes elsewhere)',
    );
  }
  mkdirSync(dir, { recursive: true });
  for (const [i, t] of tests.entries()) writeFileSync(paths[i]!, t.text);
}
