// The smplab command run as a user runs it: a child process of the real CLI, its exit status
// and output, with result files sent to a fresh temporary folder.

import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  results: string;
}

const freshResults = (): string => mkdtempSync(join(tmpdir(), 'smplab-results-'));

export const smplab = (...args: string[]): Promise<Run> => smplabIn(freshResults(), ...args);

/** `smplab ...args` with `env` added to this process's environment (PATH hides the browsers). */
export const smplabWith = (env: Record<string, string>, ...args: string[]): Promise<Run> =>
  runSmplab(freshResults(), env, args);

/** smplab with its result files in `results`: several runs into one folder, or a place it cannot write. */
export const smplabIn = (results: string, ...args: string[]): Promise<Run> =>
  runSmplab(results, {}, args);

function runSmplab(results: string, env: Record<string, string>, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, SMPLAB_RESULTS_DIR: results, ...env },
        timeout: 240_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, results });
      },
    );
  });
}

/** The result files a run wrote into its results folder. */
export const resultFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
