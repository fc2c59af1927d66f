// What a name on the command line means: a litmus file by path, a litmus test of our corpus
// (scenarios/litmus/NAME.litmus), a program scenario (scenarios/NAME.ts), or one of the
// kernel's litmus tests when ../shared is beside the checkout. An unknown name is a UserError
// listing the closest names.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { closestNames, UserError } from '../errors.ts';
import { scenarioNames } from '../runtime/scenario/load.ts';
import { KERNEL_LITMUS_DIR, LITMUS_DIR, REPO_ROOT } from './paths.ts';

export type Target =
  | { kind: 'litmus'; path: string }
  /** `file`: a scenario module named by its path (a user's own, outside scenarios/). */
  | { kind: 'program'; name: string; file?: string };

/** A program scenario named by its file: a module, in TypeScript or JavaScript. */
const SCENARIO_FILE = /\.(?:[cm]?ts|m?js)$/;

const litmusNamesIn = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.litmus'))
        .map((f) => basename(f, '.litmus'))
        .sort()
    : [];

export const corpusLitmusNames = (): string[] => litmusNamesIn(LITMUS_DIR);
export const kernelLitmusNames = (): string[] => litmusNamesIn(KERNEL_LITMUS_DIR);

export function resolveTarget(word: string): Target {
  if (word.endsWith('.litmus') || word.includes('/') || SCENARIO_FILE.test(word)) {
    const path = resolve(word);
    if (!existsSync(path)) throw new UserError(`${word}: no such file`);
    if (SCENARIO_FILE.test(path))
      return { kind: 'program', name: basename(path).replace(SCENARIO_FILE, ''), file: path };
    return { kind: 'litmus', path };
  }
  const corpus = join(LITMUS_DIR, `${word}.litmus`);
  if (existsSync(corpus)) return { kind: 'litmus', path: corpus };
  if (scenarioNames().includes(word)) return { kind: 'program', name: word };
  const kernel = join(KERNEL_LITMUS_DIR, `${word}.litmus`);
  if (existsSync(kernel)) return { kind: 'litmus', path: kernel };
  const known = [...new Set([...corpusLitmusNames(), ...scenarioNames(), ...kernelLitmusNames()])];
  const hint = closestNames(word, known, 5);
  throw new UserError(
    `unknown test or scenario '${word}'` +
      (hint.length ? `; the closest names: ${hint.join(', ')}` : '') +
      ' (smplab list shows them all)',
  );
}

/**
 * What `run` runs for several arguments: the litmus tests of each folder named (with its
 * subfolders), and each other name or file as resolveTarget reads it, in the order named.
 */
export function runTargets(args: string[]): Target[] {
  return args.flatMap((arg): Target[] => {
    const path = resolve(arg);
    if (existsSync(path) && statSync(path).isDirectory())
      return litmusFilesUnder(path).map((p) => ({ kind: 'litmus', path: p }));
    return [resolveTarget(arg)];
  });
}

/** Where a target is, for sorting a corpus into shards: the same on every machine of a CI matrix. */
export const targetKey = (t: Target): string =>
  t.kind === 'litmus' ? relative(process.cwd(), t.path) : (t.file ?? t.name);

/** Every .litmus file named by the arguments: files as they are, directories with their subfolders. */
export function litmusFilesOf(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    const path = resolve(arg);
    if (existsSync(path) && statSync(path).isDirectory()) {
      files.push(...litmusFilesUnder(path));
    } else {
      const target = resolveTarget(arg);
      if (target.kind !== 'litmus')
        throw new UserError(`${arg} is a program scenario; check takes litmus tests`);
      files.push(target.path);
    }
  }
  if (files.length === 0)
    throw new UserError(`no .litmus files in ${args.join(' ') || '(nothing named)'}`);
  return files;
}

/** The .litmus files of a folder, then those of its subfolders (the luc set's RelAcq, ...), sorted. */
function litmusFilesUnder(dir: string): string[] {
  const files = litmusNamesIn(dir).map((n) => join(dir, `${n}.litmus`));
  const subdirs = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return [...files, ...subdirs.flatMap((d) => litmusFilesUnder(join(dir, d)))];
}

/** How a path is shown: relative to the repository when inside it. */
export function displayPath(path: string): string {
  const rel = relative(REPO_ROOT, path);
  return rel.startsWith('..') && !rel.startsWith('../shared') ? path : rel;
}
