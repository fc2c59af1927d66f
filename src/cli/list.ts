// `smplab list`: every litmus test and program scenario with its kind and one line about it,
// then the backends that can run them (from the registry).

import { join } from 'node:path';
import { BACKENDS } from '../backends/registry.ts';
import { formatUserError, UserError } from '../errors.ts';
import { readLitmusText } from '../litmus/load.ts';
import { table } from '../report/format.ts';
import { listScenarios } from '../runtime/scenario/load.ts';
import { refuseInapplicable } from './applies.ts';
import type { Options } from './options.ts';
import { KERNEL_LITMUS_DIR, LITMUS_DIR } from './paths.ts';
import { corpusLitmusNames, kernelLitmusNames } from './resolve.ts';

export async function listCommand(opts: Options): Promise<number> {
  refuseInapplicable(opts, 'list', 'list');
  const rows: string[][] = [['name', 'kind', 'description']];
  const scenarios = await listScenarios();
  for (const s of scenarios)
    rows.push([
      s.name,
      s.broken ? 'program (BROKEN)' : 'program',
      s.broken ? 'cannot be loaded: see below' : s.description,
    ]);
  for (const name of corpusLitmusNames())
    rows.push([name, 'litmus', litmusSummary(join(LITMUS_DIR, `${name}.litmus`))]);
  for (const name of kernelLitmusNames()) {
    rows.push([name, 'litmus (kernel)', litmusSummary(join(KERNEL_LITMUS_DIR, `${name}.litmus`))]);
  }
  console.log(table(rows));
  console.log('');
  console.log(
    table([['backend', 'what it answers'], ...BACKENDS.map((b) => [b.name, b.description])]),
  );
  const broken = scenarios.flatMap((s) => (s.broken ? [s.broken] : []));
  for (const e of broken) console.error(`\nBROKEN ${formatUserError(e).split('\n')[0]}`);
  return broken.length > 0 ? 1 : 0;
}

/** `Result: Never — <first sentence of the test's comment>` */
export function litmusSummary(path: string): string {
  let text: string;
  try {
    text = readLitmusText(path);
  } catch (err) {
    if (err instanceof UserError) return `unreadable: ${err.message}`;
    throw err;
  }
  const comment = /\(\*([\s\S]*?)\*\)/.exec(text)?.[1] ?? '';
  const prose = comment
    .split('\n')
    .map((l) => l.replace(/^\s*\*?\s?/, '').trim())
    .filter((l) => l && !/^Result:/.test(l))
    .join(' ');
  const result = /Result:\s*(\w+)/.exec(comment)?.[1];
  const sentence = (/^.*?[.?!](\s|$)/.exec(prose)?.[0] ?? prose).trim();
  const short = sentence.length > 90 ? `${sentence.slice(0, 87)}...` : sentence;
  return [result, short].filter(Boolean).join(' — ');
}
