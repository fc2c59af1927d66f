// The real smplab command in a child process, with its own results folder: what a user meets.

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

/** `smplab ...args`; `env` is added to this process's environment (PATH: '' hides the browsers). */
export function smplabWith(env: Record<string, string>, ...args: string[]): Promise<Run> {
  const results = mkdtempSync(join(tmpdir(), 'smplab-results-'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, SMPLAB_RESULTS_DIR: results, ...env },
        timeout: 120_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, results });
      },
    );
  });
}

export const smplab = (...args: string[]): Promise<Run> => smplabWith({}, ...args);

export const resultFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
