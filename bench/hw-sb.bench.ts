// SB+poonceonces on this machine's CPUs, the whole command as a user runs it (issue 19):
// `smplab run SB+poonceonces --on hw --runs 20,000,000`, start-up included, untuned (the
// built-in defaults) and tuned (after `smplab run SB+poonceonces --tune`, into a temporary
// config folder); witnesses per second, runs per second and the witness rate (witnesses per
// run), beside litmus7's on the same kind of CPU (LITMUS7_REFERENCE, measured as docs/tune.md
// says), and beside litmus7 measured here and now when SMPLAB_LITMUS7_SB names its compiled SB
// executable (same load, same minute). The goal: a witness rate at least litmus7's userfence
// rate, and runs/s at least 1.2 × litmus7's. The load average is recorded: other processes on
// the same CPUs lower every figure, ours and litmus7's alike.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLitmus } from '../src/litmus/load.ts';
import { witnessCounts } from '../src/litmus/state.ts';
import { median } from './stats.ts';

/** litmus7 7.58, -a 2 -s 100000 -r 200 -barrier userfence, SB+poonceonces compiled by gcc -O2: the whole command. */
export const LITMUS7_REFERENCE: Record<string, Litmus7Figures> = {
  // issue 19's table: 2-vCPU AMD EPYC VM (turn 2) and a 2-vCPU Intel Xeon VM (2026-12-05).
  'AMD EPYC': { runsPerSecond: 6_900_000, witnessesPerSecond: 880_000, rate: 0.257 },
  'Intel Xeon': { runsPerSecond: 3_700_000, witnessesPerSecond: 140_000, rate: 0.038 },
};

interface Litmus7Figures {
  runsPerSecond: number;
  witnessesPerSecond: number;
  rate: number;
}

const RUNS = 20_000_000;
const TRIALS = 3;
const TUNE_SECONDS = 40;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEST = join(ROOT, 'scenarios/litmus/SB+poonceonces.litmus');

interface Trial {
  runs: number;
  witnesses: number;
  /** The whole command, spawn to exit. */
  wallMs: number;
  /** The batches alone (the record's elapsedMs). */
  elapsedMs: number;
  knobs: unknown;
}

const perSecond = (n: number, ms: number) => (n * 1000) / ms;
const mega = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** `smplab <args>` as a user starts it (bin/smplab.js: dist/ when built, else the sources). */
function smplab(args: string[], env: NodeJS.ProcessEnv): Promise<{ out: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/smplab.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0) reject(new Error(`smplab ${args.join(' ')} exited with ${code}`));
      else resolve({ out, wallMs });
    });
  });
}

async function trial(extra: string[], env: NodeJS.ProcessEnv): Promise<Trial> {
  const args = ['run', 'SB+poonceonces', '--on', 'hw', '--runs', String(RUNS), '--json', ...extra];
  const { out, wallMs } = await smplab(args, env);
  const record = JSON.parse(out) as {
    backends: {
      hw: { runs: { runs: number; elapsedMs: number; histogram: object; knobs: unknown } };
    };
  };
  const hw = record.backends.hw.runs;
  const test = loadLitmus(TEST);
  const histogram = new Map(Object.entries(hw.histogram)) as Parameters<typeof witnessCounts>[1];
  return {
    runs: hw.runs,
    witnesses: witnessCounts(test, histogram).positive,
    wallMs,
    elapsedMs: hw.elapsedMs,
    knobs: hw.knobs,
  };
}

/** The compiled litmus7 SB executable, -r 200 (20,000,000 runs), whole process timed. */
function litmus7Trial(exe: string): Trial {
  const start = performance.now();
  const out = execFileSync(exe, ['-r', String(RUNS / 100_000)], { encoding: 'utf8' });
  const wallMs = performance.now() - start;
  const m = /Positive: (\d+), Negative: (\d+)/.exec(out);
  if (!m) throw new Error(`${exe} printed no Positive/Negative line`);
  const witnesses = Number(m[1]);
  return { runs: witnesses + Number(m[2]), witnesses, wallMs, elapsedMs: wallMs, knobs: null };
}

function summary(name: string, trials: Trial[]) {
  const wps = median(trials.map((t) => perSecond(t.witnesses, t.wallMs)));
  const rps = median(trials.map((t) => perSecond(t.runs, t.wallMs)));
  const rate = median(trials.map((t) => t.witnesses / t.runs));
  console.log(`  ${name.padEnd(16)} ${mega(rps)} runs, ${mega(wps)} witnesses, rate ${pct(rate)}`);
  return { runsPerSecond: rps, witnessesPerSecond: wps, rate, trials };
}

/** Which litmus7 reference applies: the CPU kind this model names. */
function cpuKind(model: string): string | undefined {
  if (/AMD EPYC/i.test(model)) return 'AMD EPYC';
  if (/Intel.*Xeon/i.test(model)) return 'Intel Xeon';
  return undefined;
}

export default async function hwSb(): Promise<Record<string, unknown>> {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const kind = cpuKind(cpu);
  const config = mkdtempSync(join(os.tmpdir(), 'smplab-bench-config-'));
  const results = mkdtempSync(join(os.tmpdir(), 'smplab-bench-results-'));
  const env = { SMPLAB_CONFIG_DIR: config, SMPLAB_RESULTS_DIR: results };
  const starter = existsSync(join(ROOT, 'dist/src/cli/main.js')) ? 'dist' : 'tsx (sources)';
  const loadBefore = os.loadavg()[0]!;
  console.log(
    `  ${cpu}, ${os.cpus().length} CPUs; smplab from ${starter}; load ${loadBefore.toFixed(1)}`,
  );
  try {
    const untuned: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) untuned.push(await trial(['--untuned'], env));
    console.log(`  tuning (smplab run SB+poonceonces --tune --time ${TUNE_SECONDS}) …`);
    await smplab(['run', 'SB+poonceonces', '--tune', '--time', String(TUNE_SECONDS)], env);
    const preset = JSON.parse(readFileSync(join(config, 'presets.json'), 'utf8')) as unknown;
    const tuned: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) tuned.push(await trial([], env));
    const exe = process.env.SMPLAB_LITMUS7_SB;
    const live = exe ? Array.from({ length: TRIALS }, () => litmus7Trial(exe)) : [];
    console.log(
      `SB+poonceonces, ${RUNS.toLocaleString('en-US')} runs, whole command, median of ${TRIALS}:`,
    );
    const figures = {
      untuned: summary('smplab untuned', untuned),
      tuned: summary('smplab tuned', tuned),
      ...(live.length && { litmus7Here: summary('litmus7 here', live) }),
    };
    const ref = live.length ? figures.litmus7Here! : kind ? LITMUS7_REFERENCE[kind] : undefined;
    if (ref) {
      const { rate, runsPerSecond } = ref;
      console.log(
        `  litmus7 ${live.length ? 'here' : `(${kind})`}: ${mega(runsPerSecond)} runs, rate ${pct(rate)}; goal rate ≥ ${pct(rate)}, runs ≥ ${mega(1.2 * runsPerSecond)}`,
      );
    }
    const loadAfter = os.loadavg()[0]!;
    console.log(`  load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
    return {
      test: 'SB+poonceonces',
      cpu,
      cpuKind: kind ?? null,
      starter,
      options: { runs: RUNS, trials: TRIALS, tuneSeconds: TUNE_SECONDS, backend: 'hw' },
      ...figures,
      preset,
      litmus7Reference: kind ? (LITMUS7_REFERENCE[kind] ?? null) : null,
      goal: ref && {
        rate: ref.rate,
        runsPerSecond: 1.2 * ref.runsPerSecond,
        untunedMet:
          figures.untuned.rate >= ref.rate &&
          figures.untuned.runsPerSecond >= 1.2 * ref.runsPerSecond,
        tunedMet:
          figures.tuned.rate >= ref.rate && figures.tuned.runsPerSecond >= 1.2 * ref.runsPerSecond,
      },
      loadAverage: { before: loadBefore, after: loadAfter },
      note: 'rates over the whole command, spawn to exit (start-up, model of nothing: --on hw)',
    };
  } finally {
    rmSync(config, { recursive: true, force: true });
    rmSync(results, { recursive: true, force: true });
  }
}
