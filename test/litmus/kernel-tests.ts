// Where the kernel's litmus tests and our corpus are, for the litmus tests.
//
// The kernel's tests live outside the repository, in ../shared/lkmm/litmus-tests relative to
// its root (resolved from this file, not from the working directory). On a user's clone they
// are absent, and the tests that read them are skipped with that reason.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const KERNEL_TESTS_DIR = join(REPO_ROOT, '..', 'shared', 'lkmm', 'litmus-tests');

export const CORPUS_DIR = join(REPO_ROOT, 'scenarios', 'litmus');

/** The .litmus files of a directory, sorted; none when the directory is absent. */
export function litmusFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => join(dir, f));
}

export const KERNEL_SKIP_REASON = `the kernel's litmus tests are not here (${KERNEL_TESTS_DIR} is absent, as on a user's clone)`;

/** The value without line:col, file and hash, to compare two Tests by what they mean. */
export function withoutPositions<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (k === 'pos' || k === 'file' || k === 'hash' ? undefined : v)),
  );
}
