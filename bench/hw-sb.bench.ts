// SB+poonceonces on this machine's CPUs, the whole command as a user runs it (issue 19), beside
// litmus7 on the same CPUs in the same minutes. The goal: runs/s of the whole command (start-up
// included) at least 1.2 × litmus7 7.58 `-barrier userfence`'s, and a witness rate (witnesses
// per run) at least litmus7's.
//
// - smplab default: `smplab run SB+poonceonces --on hw --runs 20,000,000 --untuned` (the
//   built-in knobs for this CPU), spawn to exit;
// - smplab tuned: the same after `smplab run SB+poonceonces --tune` (into a temporary config
//   folder), with the preset it saved;
// - litmus7 userfence: SB+poonceonces compiled by litmus7 (`-mach x86_64 -a 2 -s 100000
//   -barrier userfence`, the kernel's READ_ONCE/WRITE_ONCE as volatile accesses) and gcc, run
//   with -r 200 (20,000,000 runs; SMPLAB_LITMUS7_RUNS fewer), the executable's whole run. litmus7 is SMPLAB_LITMUS7 or
//   `litmus7` on PATH; SMPLAB_LITMUS7_SB may name an executable compiled already. Without
//   litmus7 or gcc, the figure of the issue for this CPU kind (LITMUS7_REFERENCE) stands in,
//   said so.
//
// Rounds are interleaved (default, tuned, litmus7; TRIALS times) so that a change of load
// touches each alike, and every trial prints the 1-minute load average beside it: other
// processes on the same CPUs lower every figure, ours and litmus7's alike. The summary is the
// median of each. SMPLAB_BENCH_CANDIDATES=1 first measures the candidates for the built-in
// knobs (CANDIDATES), the figures behind CPU_KNOBS and docs/tune.md.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rate } from '../src/report/format.ts';
import { percent } from '../src/report/tune-text.ts';
import { median } from './stats.ts';

/** litmus7 7.58, -a 2 -s 100000 -r 200 -barrier userfence, gcc -O2, quiet: issue 19's figures. */
export const LITMUS7_REFERENCE: Record<string, Litmus7Figures> = {
  // 2-vCPU AMD EPYC VM (turn 2) and a 2-vCPU Intel Xeon VM (2026-12-05).
  'AMD EPYC': { runsPerSecond: 6_900_000, witnessesPerSecond: 880_000, rate: 0.257 },
  'Intel Xeon': { runsPerSecond: 3_700_000, witnessesPerSecond: 140_000, rate: 0.038 },
};

interface Litmus7Figures {
  runsPerSecond: number;
  witnessesPerSecond: number;
  rate: number;
}

/** The goal's runs; SMPLAB_HW_SB_RUNS (a multiple of LITMUS7_SIZE) for a quick look only. */
const RUNS = Number(process.env.SMPLAB_HW_SB_RUNS ?? 20_000_000);
const TRIALS = 3;
const TUNE_SECONDS = Number(process.env.SMPLAB_HW_SB_TUNE_SECONDS ?? 40);
/** litmus7's instances per run (-s); -r is RUNS / this. */
const LITMUS7_SIZE = 100_000;
/** The goal: runs/s at least this many times litmus7's. */
const GOAL_RATIO = 1.2;
const CANDIDATE_RUNS = 2_000_000;
/** Settings a built-in could be: the knob flags of each (the others at DEFAULT_KNOBS). */
const CANDIDATES: Record<string, string[]> = {
  'fence, delay 0, meet 1': ['--start', 'fence', '--delay', '0', '--meet', '1'],
  'fence, delay sweep, meet 1': ['--start', 'fence', '--delay', 'sweep', '--meet', '1'],
  'fence, delay 0, meet 8': ['--start', 'fence', '--delay', '0', '--meet', '8'],
  'fence, delay sweep, meet 4': ['--start', 'fence', '--delay', 'sweep', '--meet', '4'],
  'fence, delay sweep, meet 8': ['--start', 'fence', '--delay', 'sweep', '--meet', '8'],
  'fence, delay sweep, meet 16': ['--start', 'fence', '--delay', 'sweep', '--meet', '16'],
  'flag, delay sweep, meet 8': ['--start', 'flag', '--delay', 'sweep', '--meet', '8'],
  'timebase, meet 8': ['--start', 'timebase', '--meet', '8'],
};
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TEST = join(ROOT, 'scenarios/litmus/SB+poonceonces.litmus');

interface Trial {
  runs: number;
  witnesses: number;
  /** The whole command, spawn to exit. */
  wallMs: number;
  /** The 1-minute load average when it ended. */
  load: number;
}

const perSecond = (n: number, ms: number) => (n * 1000) / ms;
const load1 = () => os.loadavg()[0]!;

/** The counts of a litmus7-style block (smplab prints one too): `Positive: P, Negative: N`. */
function witnessLine(out: string, who: string): { runs: number; witnesses: number } {
  const m = /Positive: (\d+), Negative: (\d+)/.exec(out);
  if (!m) throw new Error(`${who} printed no Positive/Negative line:\n${out}`);
  return { runs: Number(m[1]) + Number(m[2]), witnesses: Number(m[1]) };
}

/** `smplab <args>` as a user starts it (bin/smplab.js: the build of the sources as they are). */
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

async function smplabTrial(extra: string[], env: NodeJS.ProcessEnv, runs = RUNS): Promise<Trial> {
  const args = ['run', 'SB+poonceonces', '--on', 'hw', '--runs', String(runs), ...extra];
  const { out, wallMs } = await smplab(args, env);
  return { ...witnessLine(out, 'smplab'), wallMs, load: load1() };
}

/**
 * litmus7's runs: RUNS, or SMPLAB_LITMUS7_RUNS on a busy machine, where litmus7's threads wait
 * for each other at every instance and 20,000,000 runs take many minutes (its rates are per
 * second, and its start-up is a C program's).
 */
const LITMUS7_RUNS = Number(process.env.SMPLAB_LITMUS7_RUNS ?? RUNS);

function litmus7Trial(exe: string): Trial {
  const start = performance.now();
  const r = Math.max(1, Math.round(LITMUS7_RUNS / LITMUS7_SIZE));
  const out = execFileSync(exe, ['-r', String(r)], { encoding: 'utf8' });
  const wallMs = performance.now() - start;
  return { ...witnessLine(out, exe), wallMs, load: load1() };
}

/** An executable on PATH, or undefined. */
function onPath(name: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, name))
    .find((f) => existsSync(f));
}

/**
 * SB+poonceonces compiled by litmus7 and gcc in `dir`, as issue 19's figures were: its
 * executable, or why there is none.
 */
function buildLitmus7(dir: string): { exe: string } | { missing: string } {
  if (process.env.SMPLAB_LITMUS7_SB) return { exe: process.env.SMPLAB_LITMUS7_SB };
  const litmus7 = process.env.SMPLAB_LITMUS7 ?? onPath('litmus7');
  if (!litmus7) return { missing: 'no litmus7 (SMPLAB_LITMUS7, or litmus7 on PATH)' };
  if (!onPath('gcc')) return { missing: 'no gcc on PATH' };
  const mach = { x64: 'x86_64', arm64: 'arm64' }[process.arch as string];
  if (!mach) return { missing: `litmus7 is not set up here for ${process.arch}` };
  // The kernel's marked accesses as volatile ones, as litmus7's C tests take them.
  const macros = join(dir, 'kernel-macros.h');
  writeFileSync(
    macros,
    [
      '#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))',
      '#define READ_ONCE(x) (*(volatile __typeof__(x) *)&(x))',
      '',
    ].join('\n'),
  );
  const out = join(dir, 'litmus7');
  mkdirSync(out, { recursive: true });
  const flags = ['-mach', mach, '-a', '2', '-s', String(LITMUS7_SIZE), '-barrier', 'userfence'];
  execFileSync(litmus7, [...flags, '-ccopts', `-O2 -include ${macros}`, '-o', out, TEST]);
  execFileSync('make', ['-C', out, '-j2'], { stdio: 'ignore' });
  return { exe: join(out, 'SB+poonceonces.exe') };
}

interface Summary {
  runsPerSecond: number;
  witnessesPerSecond: number;
  rate: number;
  wallSeconds: number;
  trials: Trial[];
}

function summarise(trials: Trial[]): Summary {
  return {
    runsPerSecond: median(trials.map((t) => perSecond(t.runs, t.wallMs))),
    witnessesPerSecond: median(trials.map((t) => perSecond(t.witnesses, t.wallMs))),
    rate: median(trials.map((t) => t.witnesses / t.runs)),
    wallSeconds: median(trials.map((t) => t.wallMs / 1000)),
    trials,
  };
}

const cell = (s: string, w: number) => s.padStart(w);

function trialLine(name: string, t: Trial) {
  console.log(
    `  ${name.padEnd(20)} ${cell(rate(perSecond(t.runs, t.wallMs)), 11)} runs ${cell(rate(perSecond(t.witnesses, t.wallMs)), 11)} witnesses ${cell(percent(t.witnesses / t.runs), 6)}  ${(t.wallMs / 1000).toFixed(2)} s  load ${t.load.toFixed(1)}`,
  );
}

function summaryLine(name: string, s: Summary) {
  console.log(
    `  ${name.padEnd(20)} ${cell(rate(s.runsPerSecond), 11)} ${cell(rate(s.witnessesPerSecond), 11)} ${cell(percent(s.rate), 7)} ${cell(`${s.wallSeconds.toFixed(2)} s`, 8)}`,
  );
}

/** `smplab … default: 2.61× litmus7's runs/s (goal ≥ 1.2×), rate 33% vs 3.8% (goal ≥): MET`. */
function goalLine(name: string, s: Summary, ref: Litmus7Figures, against: string) {
  const ratio = s.runsPerSecond / ref.runsPerSecond;
  const met = ratio >= GOAL_RATIO && s.rate >= ref.rate;
  console.log(
    `  ${name} vs ${against}: ${ratio.toFixed(2)}× its runs/s (goal ≥ ${GOAL_RATIO}×), witness rate ${percent(s.rate)} vs ${percent(ref.rate)} (goal ≥): ${met ? 'MET' : 'NOT MET'}`,
  );
  return { against, ratio, rateMet: s.rate >= ref.rate, met };
}

/** Each candidate built-in TRIALS times, rounds interleaved; the median of each. */
async function candidates(env: NodeJS.ProcessEnv) {
  const trials = new Map(Object.keys(CANDIDATES).map((n) => [n, [] as Trial[]]));
  console.log(`Candidates for the built-in knobs, ${CANDIDATE_RUNS.toLocaleString('en-US')} runs:`);
  for (let i = 0; i < TRIALS; i++)
    for (const [name, flags] of Object.entries(CANDIDATES)) {
      const t = await smplabTrial(['--untuned', ...flags], env, CANDIDATE_RUNS);
      trialLine(name, t);
      trials.get(name)!.push(t);
    }
  return Object.fromEntries(
    [...trials].map(([name, t]) => [name, { flags: CANDIDATES[name], ...summarise(t) }]),
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
  const tmp = mkdtempSync(join(os.tmpdir(), 'smplab-bench-hw-sb-'));
  const env = { SMPLAB_CONFIG_DIR: join(tmp, 'config'), SMPLAB_RESULTS_DIR: join(tmp, 'results') };
  const loadBefore = load1();
  console.log(
    `  ${cpu}, ${os.cpus().length} CPUs, node ${process.versions.node}; load ${loadBefore.toFixed(1)}`,
  );
  try {
    const built = buildLitmus7(tmp);
    if ('missing' in built) console.log(`  litmus7 not run here: ${built.missing}`);
    else if (LITMUS7_RUNS !== RUNS)
      console.log(
        `  litmus7: ${LITMUS7_RUNS.toLocaleString('en-US')} runs a trial (SMPLAB_LITMUS7_RUNS)`,
      );
    const defaults = process.env.SMPLAB_BENCH_CANDIDATES ? await candidates(env) : undefined;
    console.log(`  tuning (smplab run SB+poonceonces --tune --time ${TUNE_SECONDS}) …`);
    const tuning = await smplab(
      ['run', 'SB+poonceonces', '--tune', '--time', String(TUNE_SECONDS)],
      env,
    );
    const presetFile = join(env.SMPLAB_CONFIG_DIR, 'presets.json');
    // No witness in any trial: nothing saved, and the "tuned" runs are the built-in knobs again.
    const preset = existsSync(presetFile)
      ? (JSON.parse(readFileSync(presetFile, 'utf8')) as unknown)
      : null;
    const bestLine = /^(Best: .*|Not saved: .*)$/m.exec(tuning.out)?.[1];
    console.log(
      `  ${bestLine ?? '(no best line)'}; tuning took ${(tuning.wallMs / 1000).toFixed(0)} s`,
    );
    console.log(`SB+poonceonces, ${RUNS.toLocaleString('en-US')} runs, whole command, trials:`);
    const untuned: Trial[] = [];
    const tuned: Trial[] = [];
    const live: Trial[] = [];
    for (let i = 0; i < TRIALS; i++) {
      untuned.push(await smplabTrial(['--untuned'], env));
      trialLine('smplab default', untuned.at(-1)!);
      tuned.push(await smplabTrial([], env));
      trialLine('smplab tuned', tuned.at(-1)!);
      if ('exe' in built) {
        live.push(litmus7Trial(built.exe));
        trialLine('litmus7 userfence', live.at(-1)!);
      }
    }
    const loadAfter = load1();
    console.log(
      `SB+poonceonces, ${RUNS.toLocaleString('en-US')} runs, whole command, median of ${TRIALS} (${cpu}; load ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after):`,
    );
    console.log(
      `  ${''.padEnd(20)} ${cell('runs/s', 11)} ${cell('witnesses/s', 11)} ${cell('rate', 7)} ${cell('wall', 8)}`,
    );
    const figures = { untuned: summarise(untuned), tuned: summarise(tuned) };
    summaryLine('smplab default', figures.untuned);
    summaryLine('smplab tuned', figures.tuned);
    const here = live.length ? summarise(live) : undefined;
    if (here) summaryLine('litmus7 userfence', here);
    const reference = kind ? LITMUS7_REFERENCE[kind] : undefined;
    const goals = [
      ...(here
        ? [
            goalLine('default', figures.untuned, here, 'litmus7 here'),
            goalLine('tuned', figures.tuned, here, 'litmus7 here'),
          ]
        : []),
      ...(reference
        ? [
            goalLine('default', figures.untuned, reference, `litmus7 quiet (issue 19, ${kind})`),
            goalLine('tuned', figures.tuned, reference, `litmus7 quiet (issue 19, ${kind})`),
          ]
        : []),
    ];
    return {
      test: 'SB+poonceonces',
      cpu,
      cpuKind: kind ?? null,
      options: {
        runs: RUNS,
        litmus7Runs: LITMUS7_RUNS,
        trials: TRIALS,
        tuneSeconds: TUNE_SECONDS,
        backend: 'hw',
      },
      ...(defaults && { defaults, candidateRuns: CANDIDATE_RUNS }),
      ...figures,
      litmus7Here: here ?? ('missing' in built ? built.missing : null),
      litmus7Reference: reference ?? null,
      goalRatio: GOAL_RATIO,
      goals,
      preset,
      tuneOutput: tuning.out,
      loadAverage: { before: loadBefore, after: loadAfter },
      note: 'rates over the whole command, spawn to exit (start-up included), medians of interleaved trials',
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
