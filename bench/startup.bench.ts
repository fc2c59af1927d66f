// Start-up cost of the `smplab` command: from spawning it to its first result line on stdout,
// and to its exit, for the README's main command (`run SB+poonceonces --on hw --runs 1000`),
// `run SB+poonceonces` (model + 1,000,000 hw runs) and `--on model`, started each way:
//   tsx   node --import tsx src/cli/main.ts (the TypeScript sources, compiled at every start)
//   bin   node bin/smplab.js             (the checkout's build, bin/build.js; the installed
//                                         package's bin runs dist/, compiled the same way)
//   npm   npm run lab --                 (the README's `npm run scenario`: npm, then bin)
// The build is made before timing (bin's first start after an edit compiles the sources).
// Median of a few trials each; results go to a temporary folder, not results/.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TRIALS = 3;

const NPM = process.env.npm_execpath;

const STARTERS: Record<string, { argv: string[]; needs?: string }> = {
  tsx: { argv: ['--import', import.meta.resolve('tsx'), join(ROOT, 'src/cli/main.ts')] },
  bin: { argv: [join(ROOT, 'bin/smplab.js')] },
  npm: { argv: [NPM ?? '', '--prefix', ROOT, 'run', '--silent', 'lab', '--'], needs: NPM },
};

const COMMANDS: Record<string, string[]> = {
  'run SB+poonceonces --on hw --runs 1000': [
    'run',
    'SB+poonceonces',
    '--on',
    'hw',
    '--runs',
    '1000',
  ],
  'run SB+poonceonces': ['run', 'SB+poonceonces'],
  'run SB+poonceonces --on model': ['run', 'SB+poonceonces', '--on', 'model'],
};

interface Timing {
  firstLineMs: number;
  exitMs: number;
}

function timeOnce(argv: string[], resultsDir: string): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let firstLineMs: number | undefined;
    const child = spawn(process.execPath, argv, {
      cwd: os.tmpdir(),
      env: { ...process.env, SMPLAB_RESULTS_DIR: resultsDir },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.on('data', () => {
      firstLineMs ??= performance.now() - start;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const exitMs = performance.now() - start;
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited with ${code}`));
      else resolve({ firstLineMs: firstLineMs ?? exitMs, exitMs });
    });
  });
}

export default async function startup(): Promise<Record<string, unknown>> {
  const resultsDir = mkdtempSync(join(os.tmpdir(), 'smplab-startup-'));
  const figures: Record<string, Record<string, Timing>> = {};
  try {
    for (const [starter, { argv, needs }] of Object.entries(STARTERS)) {
      if (needs !== undefined && !existsSync(needs)) {
        console.log(`${starter.padEnd(5)} (not measured: run the bench through npm run bench)`);
        continue;
      }
      // Warm: the checkout's build exists and the OS has the files cached.
      await timeOnce([...argv, 'list'], resultsDir);
      for (const [label, args] of Object.entries(COMMANDS)) {
        const trials: Timing[] = [];
        for (let i = 0; i < TRIALS; i++)
          trials.push(await timeOnce([...argv, ...args], resultsDir));
        const t = {
          firstLineMs: median(trials.map((x) => x.firstLineMs)),
          exitMs: median(trials.map((x) => x.exitMs)),
        };
        figures[starter] = { ...figures[starter], [label]: t };
        console.log(
          `${starter.padEnd(5)} ${label.padEnd(40)} first line ${(t.firstLineMs / 1000).toFixed(2)} s, ` +
            `exit ${(t.exitMs / 1000).toFixed(2)} s`,
        );
      }
    }
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
  return { trials: TRIALS, loadAverage: os.loadavg()[0], figures };
}
