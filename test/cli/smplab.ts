// The smplab command run as a user runs it: a child process of the real CLI, its exit status
// and output, with result files sent to a fresh temporary folder.

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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

export function smplab(...args: string[]): Promise<Run> {
  return smplabIn(mkdtempSync(join(tmpdir(), 'smplab-results-')), ...args);
}

/** smplab with SMPLAB_RESULTS_DIR set to `results` (which may be a place it cannot write). */
export function smplabIn(results: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, SMPLAB_RESULTS_DIR: results }, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, results });
      },
    );
  });
}
