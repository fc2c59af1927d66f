// weak-coverage: how much of what LKMM allows the weak backend shows, and how fast.
//
// 1. Coverage, per set: of the tests whose condition lkmm can satisfy (Sometimes), how many
//    weak witnessed; of the final states lkmm allows, how many weak showed; states outside lkmm
//    (must be 0). Sets: the kernel's tests on real threads (WEAK_COVERAGE_RUNS runs each,
//    default 1,000,000) and stepped in process (the same runs); the luc set, the generated
//    shapes weak used to miss (WEAK_COVERAGE_SHAPES per shape, default 100) and every variant
//    of smplab gen's patterns, stepped in process (WEAK_COVERAGE_STEPPED_RUNS each, default
//    3,000: the answer that does not depend on the load). Goals for the generated sets:
//    >= 95% of Sometimes tests witnessed, >= 99.5% of allowed states seen.
// 2. Speed, side by side in one run: hw's and weak's runs/s on real threads (and weak stepped)
//    on SB, MP, LB, WRC and IRIW (WEAK_COVERAGE_SPEED_RUNS each, default 1,000,000), hw then
//    weak, WEAK_COVERAGE_ROUNDS times (default 3): the median of each, and their ratio. Goals:
//    weak >= 50% of hw on SB and MP, >= 25% on WRC and IRIW.
// 3. Scale: 1,000 registers (two loads; a thousand loads) and 10,000 locations on hw and weak,
//    alternating the same way: the whole run's wall time and the shared memory it planned.
//    Goal: weak within 2x of hw.
// Every figure is printed with the load average (other processes slow hw and weak alike, and
// hw's races more), and returned for results/bench/; a line per goal says met or missed, with
// the figure and the load. A markdown summary for the README ends it.
// WEAK_COVERAGE_PARTS=shapes,speed (a comma list of kernel-threads, kernel-stepped, luc,
// shapes, families, speed, scale; default all) runs only those parts.

import os from 'node:os';
import { KERNEL_LITMUS_DIR } from '../src/lab/paths.ts';
import type { Test } from '../src/litmus/ir.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { type Histogram, witnessCounts } from '../src/litmus/state.ts';
import { CELL_BYTES, computeLayout } from '../src/memory/layout.ts';
import { runWeakInProcess } from '../src/memory/weak/interleave.ts';
import { refuseOnWeak, WEAK_MEMORY } from '../src/memory/weak/memory.ts';
import { checkModel, type Verdict } from '../src/model/index.ts';
import { type RunsResult, runLitmusOnHw } from '../src/runtime/litmus/run.ts';
import { runLitmusStepped } from '../src/runtime/litmus/stepped.ts';
import {
  familyTests,
  kernelTests,
  locationsTest,
  lucTests,
  registersTest,
  shapeTests,
} from './weak-sets.ts';

const env = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const RUNS = env('WEAK_COVERAGE_RUNS', 1_000_000);
const STEPPED_RUNS = env('WEAK_COVERAGE_STEPPED_RUNS', 3_000);
const PER_SHAPE = env('WEAK_COVERAGE_SHAPES', 100);
const SPEED_RUNS = env('WEAK_COVERAGE_SPEED_RUNS', 1_000_000);
const SEED = env('WEAK_COVERAGE_SEED', 1);
const ROUNDS = Math.max(1, env('WEAK_COVERAGE_ROUNDS', 3));
/** The model's budget per generated test (a few 3-thread ones take it seconds). */
const MODEL_MS = 10_000;
/** The speed tests, and the share of hw's runs/s weak should reach (issue 17). */
const SPEED_TESTS: [name: string, goal: number | undefined][] = [
  ['SB+poonceonces', 0.5],
  ['MP+poonceonces', 0.5],
  ['LB+poonceonces', undefined],
  ['WRC+poonceonces+Once', 0.25],
  ['IRIW+poonceonces+OnceOnce', 0.25],
];
/** Weak's whole run may take at most this many times hw's on the scale tests. */
const SCALE_GOAL = 2;

const load = () => os.loadavg()[0]!.toFixed(1);

const PARTS = [
  'kernel-threads',
  'kernel-stepped',
  'luc',
  'shapes',
  'families',
  'speed',
  'scale',
] as const;
type Part = (typeof PARTS)[number];
const chosen = new Set(
  (process.env.WEAK_COVERAGE_PARTS ?? PARTS.join(',')).split(',').map((p) => p.trim()),
);
for (const p of chosen)
  if (!PARTS.includes(p as Part))
    throw new Error(`WEAK_COVERAGE_PARTS: no part ${p}; there are ${PARTS.join(', ')}`);
const wanted = (p: Part) => chosen.has(p);

interface Coverage {
  test: string;
  sometimes: boolean;
  witnessed: boolean;
  statesShown: number;
  statesAllowed: number;
  outside: string[];
}

/** One test's coverage from its histogram, against lkmm's verdict. */
function coverage(t: Test, v: Verdict, h: Histogram): Coverage {
  const shown = [...h.keys()].filter((s) => v.states.has(s));
  return {
    test: t.name,
    sometimes: v.positive > 0,
    witnessed: shown.some((s) => v.states.get(s)!.witness),
    statesShown: shown.length,
    statesAllowed: v.states.size,
    outside: [...h.keys()].filter((s) => !v.states.has(s)),
  };
}

type Runner = (t: Test) => Promise<Histogram>;

/** The issue's goals for the generated sets: shares of Sometimes tests witnessed, of allowed states shown. */
const GOAL = { witnessed: 0.95, states: 0.995 };

/** Run every test weak takes (and the model can judge in MODEL_MS) and sum up; `goal`: held to GOAL. */
async function measure(label: string, tests: Test[], runs: number, run: Runner, goal = false) {
  const rows: Coverage[] = [];
  let skipped = 0;
  const t0 = performance.now();
  for (const t of tests) {
    if (refuseOnWeak(t)) {
      skipped++;
      continue;
    }
    let v: Verdict;
    try {
      v = checkModel(t, 'lkmm', { timeoutMs: MODEL_MS });
    } catch {
      skipped++;
      continue;
    }
    rows.push(coverage(t, v, await run(t)));
  }
  const some = rows.filter((r) => r.sometimes);
  const witnessed = some.filter((r) => r.witnessed).length;
  const shown = rows.reduce((n, r) => n + r.statesShown, 0);
  const allowed = rows.reduce((n, r) => n + r.statesAllowed, 0);
  const outside = rows.flatMap((r) => r.outside.map((s) => `${r.test}: ${s}`));
  const missed = some.filter((r) => !r.witnessed).map((r) => r.test);
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '-');
  console.log(
    `  ${label}: ${rows.length} tests (${skipped} skipped), Sometimes witnessed ${witnessed}/${some.length} (${pct(witnessed, some.length)}%); states shown ${shown}/${allowed} (${((100 * shown) / Math.max(1, allowed)).toFixed(2)}%); ${outside.length} outside lkmm; ${runs.toLocaleString('en')} runs each; ${((performance.now() - t0) / 1000).toFixed(0)} s, load ${load()}`,
  );
  if (missed.length)
    console.log(
      `    missed: ${missed.slice(0, 20).join(', ')}${missed.length > 20 ? ` … (${missed.length})` : ''}`,
    );
  if (outside.length) console.log(`    OUTSIDE: ${outside.slice(0, 10).join(' | ')}`);
  const goalMet = goal
    ? witnessed >= GOAL.witnessed * some.length && shown >= GOAL.states * allowed
    : undefined;
  if (goal)
    console.log(
      `    goal (>= ${100 * GOAL.witnessed}% witnessed, >= ${100 * GOAL.states}% of states): ${goalMet ? 'met' : 'MISSED'}`,
    );
  return {
    label,
    runs,
    tests: rows.length,
    skipped,
    sometimes: some.length,
    witnessed,
    statesShown: shown,
    statesAllowed: allowed,
    outside,
    missed,
    goalMet,
    seconds: Math.round((performance.now() - t0) / 1000),
    load: os.loadavg()[0]!,
  };
}

const onThreads =
  (memory: 'weak' | undefined, runs: number): Runner =>
  async (t) =>
    (await runLitmusOnHw({ test: t, settings: { runs, seed: SEED }, memory })).histogram;

const stepped =
  (runs: number): Runner =>
  async (t) =>
    runWeakInProcess(t, { runs, seed: SEED }).histogram;

type SetResult = Awaited<ReturnType<typeof measure>>;

async function coverageSets(): Promise<SetResult[]> {
  const sets: [Part, () => Promise<SetResult>][] = [
    [
      'kernel-threads',
      () =>
        measure('kernel tests, weak on real threads', kernelTests(), RUNS, onThreads('weak', RUNS)),
    ],
    [
      'kernel-stepped',
      () => measure('kernel tests, weak stepped in process', kernelTests(), RUNS, stepped(RUNS)),
    ],
    ['luc', () => measure('luc tests, stepped', lucTests(), STEPPED_RUNS, stepped(STEPPED_RUNS))],
    [
      'shapes',
      () =>
        measure(
          `generated shapes (${PER_SHAPE} per shape), stepped`,
          shapeTests(PER_SHAPE, SEED),
          STEPPED_RUNS,
          stepped(STEPPED_RUNS),
          true,
        ),
    ],
    [
      'families',
      () =>
        measure(
          'gen families (`smplab gen --family`, all), stepped',
          familyTests(),
          STEPPED_RUNS,
          stepped(STEPPED_RUNS),
          true,
        ),
    ],
  ];
  const out: SetResult[] = [];
  for (const [part, run] of sets) if (wanted(part)) out.push(await run());
  return out;
}

/** runs/s over the workers' time (elapsedMs), and the whole call's wall time. */
async function timed(t: Test, memory: 'weak' | undefined, runs: number, stepped = false) {
  const t0 = performance.now();
  const r: RunsResult = stepped
    ? await runLitmusStepped(t, { runs, seed: SEED })
    : await runLitmusOnHw({ test: t, settings: { runs, seed: SEED }, memory });
  return {
    runsPerSecond: Math.round(r.runs / (r.elapsedMs / 1000)),
    witnessesPerSecond: Math.round(witnessCounts(t, r.histogram).positive / (r.elapsedMs / 1000)),
    wallSeconds: (performance.now() - t0) / 1000,
    size: r.size,
    load: os.loadavg()[0]!,
  };
}

type Timed = Awaited<ReturnType<typeof timed>>;

/** The round with the median value of `by` (rounds alternate hw and weak: a load spike hits one round). */
function median<T>(rounds: T[], by: (r: T) => number): T {
  return [...rounds].sort((a, b) => by(a) - by(b))[Math.floor((rounds.length - 1) / 2)]!;
}

/** hw then weak on t, ROUNDS times: each one's median round by `by`, and every round. */
async function sideBySide(t: Test, runs: number, by: (r: Timed) => number) {
  const hwRounds: Timed[] = [];
  const weakRounds: Timed[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    hwRounds.push(await timed(t, undefined, runs));
    weakRounds.push(await timed(t, 'weak', runs));
  }
  return { hw: median(hwRounds, by), weak: median(weakRounds, by), hwRounds, weakRounds };
}

const loadsOf = (rounds: Timed[]) => rounds.map((r) => r.load.toFixed(0)).join('/');
/** The load average after each round: hw's rounds, then weak's. */
const loads = (hw: Timed[], weak: Timed[]) => `hw ${loadsOf(hw)}, weak ${loadsOf(weak)}`;

async function speed() {
  console.log(
    `speed (runs/s: the workers’ time, median of ${ROUNDS} rounds of hw then weak; weak stepped: this thread)`,
  );
  const rows = [];
  for (const [name, goal] of SPEED_TESTS) {
    const t = loadLitmus(`${KERNEL_LITMUS_DIR}/${name}.litmus`);
    const { hw, weak, hwRounds, weakRounds } = await sideBySide(
      t,
      SPEED_RUNS,
      (r) => r.runsPerSecond,
    );
    const weakStepped = await timed(t, 'weak', Math.min(SPEED_RUNS, 200_000), true);
    const share = weak.runsPerSecond / hw.runsPerSecond;
    console.log(
      `  ${name.padEnd(26)} hw ${(hw.runsPerSecond / 1e6).toFixed(2)} M/s · weak ${(weak.runsPerSecond / 1e6).toFixed(2)} M/s (${(100 * share).toFixed(0)}% of hw), ${(weak.witnessesPerSecond / 1e3).toFixed(1)} k witnesses/s · weak stepped ${(weakStepped.runsPerSecond / 1e6).toFixed(2)} M/s · load ${loads(hwRounds, weakRounds)}`,
    );
    rows.push({
      test: name,
      hw,
      weak,
      weakStepped,
      weakShareOfHw: share,
      goal,
      hwRounds,
      weakRounds,
    });
  }
  return rows;
}

/** Cells of shared memory a threads run of t plans at `size` instances (the weak CPU's histories too). */
function plannedBytes(t: Test, size: number, memory: 'weak' | undefined): number {
  const layout = computeLayout({
    size,
    variables: t.locations.length,
    observedRegisters: t.threads.map(() => 2),
    packed: false,
  });
  const side = memory === 'weak' ? WEAK_MEMORY.sideCells!(t.locations.length, size) : 0;
  return (layout.cells + side) * CELL_BYTES;
}

async function scale() {
  console.log(`scale (whole run, wall time, median of ${ROUNDS} rounds of hw then weak)`);
  const cases: [Test, number][] = [
    [registersTest(1_000, 'two'), 200_000],
    [registersTest(1_000, 'all'), 20_000],
    [locationsTest(10_000), 20_000],
  ];
  const rows = [];
  for (const [t, runs] of cases) {
    const { hw, weak, hwRounds, weakRounds } = await sideBySide(t, runs, (r) => r.wallSeconds);
    const row = {
      test: t.name,
      runs,
      hw: { ...hw, bytes: plannedBytes(t, hw.size, undefined) },
      weak: { ...weak, bytes: plannedBytes(t, weak.size, 'weak') },
      wallRatio: weak.wallSeconds / hw.wallSeconds,
      hwRounds,
      weakRounds,
    };
    console.log(
      `  ${t.name.padEnd(16)} ${runs.toLocaleString('en')} runs: hw ${hw.wallSeconds.toFixed(1)} s (${(row.hw.bytes / 2 ** 20).toFixed(0)} MiB, size ${hw.size}) · weak ${weak.wallSeconds.toFixed(1)} s (${(row.weak.bytes / 2 ** 20).toFixed(0)} MiB, size ${weak.size}) · weak/hw ${row.wallRatio.toFixed(1)}x · load ${loads(hwRounds, weakRounds)}`,
    );
    rows.push(row);
  }
  return rows;
}

/** One line per goal of issue 17's speed point: the figure, met or missed, and the load. */
function goals(
  speeds: Awaited<ReturnType<typeof speed>>,
  scales: Awaited<ReturnType<typeof scale>>,
): string[] {
  const lines: string[] = [];
  for (const r of speeds) {
    if (r.goal === undefined) continue;
    const ok = r.weakShareOfHw >= r.goal;
    lines.push(
      `${ok ? 'met   ' : 'MISSED'} ${r.test}: weak ${(100 * r.weakShareOfHw).toFixed(0)}% of hw runs/s (goal >= ${100 * r.goal}%), load ${loads(r.hwRounds, r.weakRounds)}`,
    );
  }
  for (const r of scales) {
    const ok = r.wallRatio <= SCALE_GOAL;
    lines.push(
      `${ok ? 'met   ' : 'MISSED'} ${r.test}: weak ${r.wallRatio.toFixed(1)}x hw's wall time (goal <= ${SCALE_GOAL}x), memory ${(r.weak.bytes / r.hw.bytes).toFixed(2)}x hw's, load ${loads(r.hwRounds, r.weakRounds)}`,
    );
  }
  return lines;
}

const pct = (a: number, b: number, digits = 1) => `${b ? ((100 * a) / b).toFixed(digits) : '-'}%`;
const mps = (r: number) => `${(r / 1e6).toFixed(2)} M`;
const n = (x: number) => x.toLocaleString('en');

/** The README's tables, from this run's figures. */
function markdown(
  sets: SetResult[],
  speeds: Awaited<ReturnType<typeof speed>>,
  scales: Awaited<ReturnType<typeof scale>>,
): string {
  const date = new Date().toISOString().slice(0, 10);
  const out: string[] = [];
  if (sets.length)
    out.push(
      `\`npm run bench -- weak-coverage\`, ${date} (seed ${SEED}; results/bench/):`,
      '',
      '| set | runs each | tests run (skipped) | Sometimes witnessed | allowed states shown | outside lkmm | load |',
      '|---|---|---|---|---|---|---|',
      ...sets.map(
        (r) =>
          `| ${r.label} | ${n(r.runs)} | ${n(r.tests)} (${n(r.skipped)}) | ${n(r.witnessed)}/${n(r.sometimes)} (${pct(r.witnessed, r.sometimes)}) | ${n(r.statesShown)}/${n(r.statesAllowed)} (${pct(r.statesShown, r.statesAllowed, 2)}) | ${r.outside.length} | ${r.load.toFixed(0)} |`,
      ),
      '',
    );
  if (speeds.length)
    out.push(
      '| test | hw runs/s | weak runs/s (threads) | weak / hw | weak stepped runs/s | load |',
      '|---|---|---|---|---|---|',
      ...speeds.map(
        (r) =>
          `| ${r.test} | ${mps(r.hw.runsPerSecond)} | ${mps(r.weak.runsPerSecond)} | ${pct(r.weakShareOfHw, 1, 0)} | ${mps(r.weakStepped.runsPerSecond)} | ${r.weak.load.toFixed(0)} |`,
      ),
      '',
    );
  if (scales.length)
    out.push(
      '| test | runs | hw wall (shared memory) | weak wall (shared memory) | weak / hw | load |',
      '|---|---|---|---|---|---|',
      ...scales.map(
        (r) =>
          `| ${r.test} | ${n(r.runs)} | ${r.hw.wallSeconds.toFixed(1)} s (${(r.hw.bytes / 2 ** 20).toFixed(0)} MiB) | ${r.weak.wallSeconds.toFixed(1)} s (${(r.weak.bytes / 2 ** 20).toFixed(0)} MiB) | ${r.wallRatio.toFixed(1)}× | ${r.weak.load.toFixed(0)} |`,
      ),
    );
  return out.join('\n');
}

export default async function weakCoverage(): Promise<Record<string, unknown>> {
  const loadBefore = os.loadavg()[0]!;
  console.log('coverage');
  const sets = await coverageSets();
  const speeds = wanted('speed') && kernelTests().length ? await speed() : [];
  const scales = wanted('scale') ? await scale() : [];
  const md = markdown(sets, speeds, scales);
  const goalLines = goals(speeds, scales);
  if (goalLines.length)
    console.log(`goals (issue 17, speed)\n${goalLines.map((l) => `  ${l}`).join('\n')}`);
  console.log(`README summary\n${md}`);
  return {
    seed: SEED,
    runs: RUNS,
    steppedRuns: STEPPED_RUNS,
    perShape: PER_SHAPE,
    speedRuns: SPEED_RUNS,
    parts: [...chosen],
    coverage: sets,
    speed: speeds,
    scale: scales,
    rounds: ROUNDS,
    goals: goalLines,
    markdown: md,
    loadBefore,
    loadAfter: os.loadavg()[0]!,
  };
}
