// SB+poonceonces on this machine's CPUs, the whole command as a user runs it (issue 19):
// `smplab run SB+poonceonces --on hw --runs 20,000,000`, start-up included, untuned (the
// built-in defaults) and tuned (after `smplab run SB+poonceonces --tune`, into a temporary
// config folder); witnesses per second, runs per second and the witness rate (witnesses per
// run), beside litmus7's on the same kind of CPU (LITMUS7_REFERENCE, measured as docs/tune.md
// says), and beside litmus7 measured here and now when SMPLAB_LITMUS7_SB names its compiled SB
// executable (same load, same minute). The goal: a witness rate at least litmus7's userfence
// rate, and runs/s at least 1.2 × litmus7's. The load average is recorded: other processes on
// the same CPUs lower every figure, ours and litmus7's alike.
//
// First, the candidates for the untuned default (CANDIDATES, at CANDIDATE_RUNS each, rounds
// interleaved so that a change of load touches each alike): the figures behind CPU_KNOBS
// (runtime/litmus/knobs.ts) and docs/tune.md, measured the same way on every CPU kind.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadLitmus } from '../src/litmus/load.ts';
import { witnessCounts } from '../src/litmus/state.ts';
import { rate } from '../src/report/format.ts';
import { percent } from '../src/report/tune-text.ts';
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
const CANDIDATE_RUNS = 2_000_000;
/** Settings a default could be: the knob flags of each (the others at DEFAULT_KNOBS). */
const CANDIDATES: Record<string, string[]> = {
  'fence, delay 0 (DEFAULT_KNOBS)': ['--start', 'fence', '--delay', '0'],
  'fence, delay sweep': ['--start', 'fence', '--delay', 'sweep'],
  'fence, delay 64': ['--start', 'fence', '--delay', '64'],
  'flag, delay sweep': ['--start', 'flag', '--delay', 'sweep'],
  timebase: ['--start', 'timebase'],
  'fence, stride 1 (arrays)': ['--start', 'fence', '--delay', '0', '--stride', '1'],
};
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
/** Runs or witnesses per second as the CLI prints them (12.3 k/s, 3.60 M/s). */
const mega = rate;
const pct = percent;

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

async function trial(extra: string[], env: NodeJS.ProcessEnv, runs = RUNS): Promise<Trial> {
  const args = ['run', 'SB+poonceonces', '--on', 'hw', '--runs', String(runs), '--json', ...extra];
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

/**
 * The compiled litmus7 SB executable (-s 100000), whole process timed: `runs` runs (-r runs /
 * 100,000). SMPLAB_LITMUS7_RUNS may lower them on a busy machine (its rates are per second).
 */
function litmus7Trial(exe: string, runs: number): Trial {
  const start = performance.now();
  const out = execFileSync(exe, ['-r', String(Math.max(1, Math.round(runs / 100_000)))], {
    encoding: 'utf8',
  });
  const wallMs = performance.now() - start;
  const m = /Positive: (\d+), Negative: (\d+)/.exec(out);
  if (!m) throw new Error(`${exe} printed no Positive/Negative line`);
  const witnesses = Number(m[1]);
  return { runs: witnesses + Number(m[2]), witnesses, wallMs, elapsedMs: wallMs, knobs: null };
}

function summary(name: string, trials: Trial[], width = 16) {
  const wps = median(trials.map((t) => perSecond(t.witnesses, t.wallMs)));
  const rps = median(trials.map((t) => perSecond(t.runs, t.wallMs)));
  const rate = median(trials.map((t) => t.witnesses / t.runs));
  // The batches alone, without start-up: what the knobs change.
  const batchRps = median(trials.map((t) => perSecond(t.runs, t.elapsedMs)));
  console.log(
    `  ${name.padEnd(width)} ${mega(rps)} runs, ${mega(wps)} witnesses, rate ${pct(rate)} (batches alone ${mega(batchRps)} runs)`,
  );
  return {
    runsPerSecond: rps,
    witnessesPerSecond: wps,
    rate,
    batchRunsPerSecond: batchRps,
    trials,
  };
}

/** Each candidate default TRIALS times, rounds interleaved; the median of each. */
async function candidates(env: NodeJS.ProcessEnv) {
  const trials = new Map(Object.keys(CANDIDATES).map((n) => [n, [] as Trial[]]));
  for (let i = 0; i < TRIALS; i++)
    for (const [name, flags] of Object.entries(CANDIDATES))
      trials.get(name)!.push(await trial(['--untuned', ...flags], env, CANDIDATE_RUNS));
  console.log(
    `Candidates for the default, ${CANDIDATE_RUNS.toLocaleString('en-US')} runs each, whole command, median of ${TRIALS}:`,
  );
  return Object.fromEntries(
    [...trials].map(([name, t]) => [name, { flags: CANDIDATES[name], ...summary(name, t, 32) }]),
  );
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
  // bin/smplab.js runs the build of the sources as they are (bin/build.js), never a stale dist/.
  const starter = 'bin/smplab.js (build of the sources)';
  const loadBefore = os.loadavg()[0]!;
  console.log(
    `  ${cpu}, ${os.cpus().length} CPUs; smplab from ${starter}; load ${loadBefore.toFixed(1)}`,
  );
  try {
    const defaults = await candidates(env);
    const untuned: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) untuned.push(await trial(['--untuned'], env));
    console.log(`  tuning (smplab run SB+poonceonces --tune --time ${TUNE_SECONDS}) …`);
    const tuning = await smplab(
      ['run', 'SB+poonceonces', '--tune', '--time', String(TUNE_SECONDS)],
      env,
    );
    const presetFile = join(config, 'presets.json');
    // No witness in any trial: nothing saved, and the "tuned" runs are the built-in knobs again.
    const preset = existsSync(presetFile)
      ? (JSON.parse(readFileSync(presetFile, 'utf8')) as unknown)
      : null;
    const bestLine = /^(Best: .*|Not saved: .*)$/m.exec(tuning.out)?.[1];
    console.log(
      `  ${bestLine ?? '(no best line)'}; tuning took ${(tuning.wallMs / 1000).toFixed(0)} s`,
    );
    const tuned: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) tuned.push(await trial([], env));
    const exe = process.env.SMPLAB_LITMUS7_SB;
    const l7runs = Number(process.env.SMPLAB_LITMUS7_RUNS ?? RUNS);
    const live = exe ? Array.from({ length: TRIALS }, () => litmus7Trial(exe, l7runs)) : [];
    console.log(
      `SB+poonceonces, ${RUNS.toLocaleString('en-US')} runs, whole command, median of ${TRIALS}:`,
    );
    const figures = {
      untuned: summary('smplab untuned', untuned),
      tuned: summary('smplab tuned', tuned),
      ...(live.length && {
        litmus7Here: { ...summary('litmus7 here', live), runsEach: l7runs, exe },
      }),
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
      options: {
        runs: RUNS,
        trials: TRIALS,
        tuneSeconds: TUNE_SECONDS,
        backend: 'hw',
        candidateRuns: CANDIDATE_RUNS,
      },
      defaults,
      ...figures,
      preset,
      tuneOutput: tuning.out,
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
