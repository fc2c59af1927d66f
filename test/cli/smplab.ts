// The smplab command run as a user runs it: a child process of the real CLI, its exit status
// and output, with result files sent to a fresh temporary folder, and a fresh config folder
// (no tuned preset of this machine's user) unless `env` names one.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  results: string;
}

const freshResults = (): string => mkdtempSync(join(tmpdir(), 'smplab-results-'));
export const freshConfig = (): string => mkdtempSync(join(tmpdir(), 'smplab-config-'));

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
        env: {
          ...process.env,
          SMPLAB_RESULTS_DIR: results,
          SMPLAB_CONFIG_DIR: freshConfig(),
          ...env,
        },
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

export interface Served {
  url: URL;
  results: string;
  /** Everything serve printed so far. */
  out: () => string;
  /**
   * The first match of `pattern` in what serve prints, once it has printed it: a line comes in
   * its own time (the token line after the address line; a saved run's line after the answer).
   */
  until: (pattern: RegExp) => Promise<RegExpExecArray>;
  child: ChildProcess;
}

/** How long serve may take to print an awaited line, however busy the machine. */
const PRINT_BOUND_MS = 60_000;

/** `smplab serve SB+poonceonces --port 0 ...args`, running until the test ends; its address. */
export async function serve(t: ExecutionContext, ...args: string[]): Promise<Served> {
  const results = mkdtempSync(join(tmpdir(), 'smplab-serve-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'src/cli/main.ts'),
      'serve',
      'SB+poonceonces',
      '--port',
      '0',
      ...args,
    ],
    { cwd: ROOT, env: { ...process.env, SMPLAB_RESULTS_DIR: results } },
  );
  t.teardown(() => {
    child.kill('SIGKILL');
    rmSync(results, { recursive: true, force: true });
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const poll = setInterval(() => {
      const m = /at (https?:\/\/\S+)/.exec(out);
      if (m) {
        clearInterval(poll);
        resolve(m[1]!);
      }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(poll);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
  const until = async (pattern: RegExp) => {
    for (let waited = 0; ; waited += 20) {
      const m = pattern.exec(out);
      if (m) return m;
      if (waited > PRINT_BOUND_MS || child.exitCode !== null)
        throw new Error(`serve did not print ${pattern}; it printed:\n${out}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { url: new URL(url), results, out: () => out, until, child };
}
