// What the lab can run (`list`): every program scenario and litmus test with its kind and one
// line about it. A scenario module that cannot be loaded is listed as broken, with why.

import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { readLitmusText } from '../litmus/load.ts';
import { listScenarios } from '../runtime/scenario/load.ts';
import { KERNEL_LITMUS_DIR, LITMUS_DIR } from './paths.ts';
import { corpusLitmusNames, kernelLitmusNames } from './resolve.ts';

export interface CatalogueEntry {
  name: string;
  kind: 'program' | 'litmus' | 'litmus (kernel)';
  description: string;
  /** A scenario module that cannot be loaded: why. */
  broken?: UserError;
}

export async function catalogue(): Promise<CatalogueEntry[]> {
  const entries: CatalogueEntry[] = (await listScenarios()).map((s) => ({
    name: s.name,
    kind: 'program',
    description: s.description,
    ...(s.broken && { broken: s.broken }),
  }));
  for (const name of corpusLitmusNames())
    entries.push({
      name,
      kind: 'litmus',
      description: litmusSummary(join(LITMUS_DIR, `${name}.litmus`)),
    });
  for (const name of kernelLitmusNames())
    entries.push({
      name,
      kind: 'litmus (kernel)',
      description: litmusSummary(join(KERNEL_LITMUS_DIR, `${name}.litmus`)),
    });
  return entries;
}

/** `Result: Never — <first sentence of the test's comment>` */
function litmusSummary(path: string): string {
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
