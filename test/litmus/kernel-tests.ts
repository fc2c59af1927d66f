// Where the kernel's litmus tests and our corpus are, for the litmus tests: the CLI's own
// paths (src/lab/paths.ts), under the names the tests use.
//
// The kernel's tests live outside the repository, in ../shared/lkmm/litmus-tests relative to
// its root (resolved from the source, not from the working directory). On a user's clone they
// are absent, and the tests that read them are skipped with that reason.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KERNEL_LITMUS_DIR, LITMUS_DIR } from '../../src/lab/paths.ts';

export { REPO_ROOT } from '../../src/lab/paths.ts';

export const KERNEL_TESTS_DIR = KERNEL_LITMUS_DIR;

export const CORPUS_DIR = LITMUS_DIR;

/** The .litmus files of a directory, sorted; none when the directory is absent. */
export function litmusFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => join(dir, f));
}

export const KERNEL_SKIP_REASON = `the kernel's litmus tests are not here (${KERNEL_TESTS_DIR} is absent, as on a user's clone)`;

/** The value without line:col, file and hashes, to compare two Tests by what they mean. */
/** Fields that identify a test's text rather than say what it means. */
const TEXT_IDENTITY = new Set(['pos', 'file', 'hash', 'herdHash']);

export function withoutPositions<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (TEXT_IDENTITY.has(k) ? undefined : v)));
}
