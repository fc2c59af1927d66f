// A program scenario: shared memory declared once, threads written against src/kernel,
// variants named for what differs, outcomes named for what happened and graded per variant
// (jcstress: acceptable / interesting / forbidden), and metrics. defineScenario() checks the
// declaration and returns it in the normal form the runner reads (src/runtime/scenario/run.ts).
//
// Two kinds:
// - 'iterations': many short races, as a litmus test. The runner lays out `batch` fresh copies
//   of the memory, starts all threads together, each thread runs its body once per copy, then
//   the arbiter (on CPU 0) looks at each copy's memory and what each thread returned and names
//   the outcome. Repeat until the budget is spent.
// - 'long-running': each thread body runs once and loops until kthread_should_stop() (the
//   budget) or its own end; threads count outcomes with cpu.observe() as they go, and the
//   optional arbiter classifies the end state once.
// Either way each thread calls cpu.progress() on forward progress (the runner does it between
// iterations), and a watchdog stops a variant whose thread made none for the stall window:
// that is the STALL_OUTCOME, graded per variant by `stall` (forbidden unless said otherwise).

import { didYouMean, UserError } from '../errors.ts';
import { CELL_TYPES, type CellDecl, type MemorySpec } from '../memory/cells.ts';
import type { Cpu } from './cpu.ts';
import type { MemoryOf } from './memory.ts';

export const GRADES = ['acceptable', 'interesting', 'forbidden'] as const;
/** jcstress' grading of an outcome: fine, fine but worth showing, a bug. */
export type Grade = (typeof GRADES)[number];
/** A stall's grade: as Grade, or 'expected' (interesting, and its absence is a failure). */
export type StallGrade = Grade | 'expected';
export const SCENARIO_KINDS = ['iterations', 'long-running'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];
export const METRIC_KINDS = ['counter', 'latency'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** The outcome a watchdog stop is counted as. */
export const STALL_OUTCOME = 'stalled (no progress)';
/** Most threads a scenario may declare (workers on a small host). */
export const MAX_THREADS = 16;
/** Most numbers a thread body may return per iteration. */
export const MAX_RESULTS = 8;
/** Longest array a memory declaration may ask for, in elements. */
export const MAX_ARRAY_LENGTH = 1 << 20;

export interface Budget {
  /** Seconds per variant (default 2); `--time` overrides. */
  readonly seconds?: number;
  /** A thread with no heartbeat for this long is stalled (default 2 s). */
  readonly stallSeconds?: number;
  /** need_resched()'s time slice, in µs (default 1000). */
  readonly sliceMicros?: number;
  /** 'iterations': memory copies raced per batch (default 64). */
  readonly batch?: number;
  /** 'iterations': stop after this many iterations, if the time has not run out first. */
  readonly iterations?: number;
}

export interface VariantSpec {
  readonly description: string;
  /** How a stall in this variant is graded (default 'forbidden'). */
  readonly stall?: StallGrade;
}

/** Metrics a scenario records: name → 'counter' (a sum) or 'latency' (ns samples → p50/p99/max). */
export type MetricSpec = { readonly [name: string]: MetricKind };
type NamesOf<X, K> = { [P in keyof X]: X[P] extends K ? P : never }[keyof X] & string;

/** What a thread body may return each time it runs: nothing, a number, or a few numbers. */
// biome-ignore lint/suspicious/noConfusingVoidType: a body with no return statement returns void
export type ThreadResult = void | number | readonly number[];
/** What each thread returned, by thread name: a number n as [n], nothing as []. */
export type Results = { readonly [thread: string]: readonly number[] };

/** A thread body: runs on its own worker (a CPU), touches memory only through src/kernel. */
export type ThreadFn<
  M extends MemorySpec,
  V extends string,
  O extends string,
  X extends MetricSpec,
> = (
  cpu: Cpu<O, NamesOf<X, 'counter'>, NamesOf<X, 'latency'>>,
  m: MemoryOf<M>,
  variant: V,
) => ThreadResult;

/** `count` threads running the same body, named `<name>0`, `<name>1`… */
export interface ThreadGroup<
  M extends MemorySpec,
  V extends string,
  O extends string,
  X extends MetricSpec,
> {
  readonly count: number;
  readonly run: ThreadFn<M, V, O, X>;
}

/** What a scenario module passes to defineScenario(). */
export interface ScenarioSpec<
  M extends MemorySpec,
  V extends string,
  O extends string,
  X extends MetricSpec,
> {
  /** File name without .ts: `atomic-bool`. */
  readonly name: string;
  /** One line: what the scenario shows. */
  readonly description: string;
  /** Where the code or the claim comes from (kernel files, commits, papers). */
  readonly refs?: readonly string[];
  readonly kind: ScenarioKind;
  readonly memory: M;
  /** Variant name → what differs in it. Run in this order. */
  readonly variants: { readonly [K in V]: string | VariantSpec };
  /** Thread name → body, or a group of identical threads. One worker each. */
  readonly threads: { readonly [name: string]: ThreadFn<M, V, O, X> | ThreadGroup<M, V, O, X> };
  /** Outcome name (what happened) → its grade in every variant, or per variant. */
  readonly outcomes: { readonly [K in O]: Grade | { readonly [W in V]: Grade } };
  /** Names the outcome of one race ('iterations': required) or of the end state ('long-running'). */
  readonly arbiter?: (
    m: MemoryOf<M>,
    r: Results,
    variant: V,
    cpu: Cpu<O, NamesOf<X, 'counter'>, NamesOf<X, 'latency'>>,
  ) => NoInfer<O>;
  readonly metrics?: X;
  readonly budget?: Budget;
  /** Lines printed under the result table (what this host can and cannot show). */
  readonly notes?: readonly string[];
  /** The small instance the explorer (`--on model`) runs, or why it cannot. */
  readonly model?: ModelInstance;
}

/**
 * The instance of a scenario the explorer runs: small sizes, so that every execution can be
 * visited. Thread bodies read `cpu.instance === 'model'` to pick their sizes.
 */
export interface ModelInstance {
  /** One line: what this instance is ("one fault against one invalidation of one page"). */
  readonly description: string;
  /** How many times at most kthread_should_stop() answers false, per thread (default 1; each answer an explored choice). */
  readonly iterations?: number | { readonly [thread: string]: number };
  /**
   * lkmm: reads per execution that may guess a value a later write gives (load-buffering
   * cycles; default: no cap). A cap is for an instance too big to search without one; an
   * answer that needed more says "within N guessed reads". A number caps every variant; an
   * object, the variants it names (the others are searched without a cap).
   */
  readonly guesses?: number | { readonly [variant: string]: number };
  /**
   * Variants whose code may make a plain access (plain_load, plain_store, a u64's halves…) where
   * the explorer's scan of the scenario's source cannot see it (a package that calls them); it
   * only adds: every variant may when the source names a plain accessor. Under lkmm a never of a
   * variant that may, and whose search had to guess a read, holds races aside (docs/explore.md
   * "Races aside").
   */
  readonly plain?: readonly string[];
  /**
   * Variants whose code makes no plain access on any path, where the source names a plain
   * accessor for another variant: the scan is not asked for them, and the explorer refuses a
   * plain access any run of theirs makes (a UserError at the call). What no run reaches is the
   * declaration's word (docs/explore.md "Races aside"). Not with `plain` for the same variant.
   */
  readonly plainFree?: readonly string[];
  /** Why the explorer cannot run this scenario (too big, mixed-size accesses…): it refuses with this. */
  readonly refuse?: string;
}

export interface VariantInfo {
  readonly name: string;
  readonly description: string;
  readonly stall: StallGrade;
}
export interface OutcomeInfo {
  readonly name: string;
  /** Variant name → grade. */
  readonly grades: { readonly [variant: string]: Grade };
}
export interface ThreadInfo {
  readonly name: string;
  readonly run: ThreadFn<MemorySpec, string, string, MetricSpec>;
}
export interface MetricInfo {
  readonly name: string;
  readonly kind: MetricKind;
}
export type Arbiter = (m: never, r: Results, variant: string, cpu: Cpu) => string;

/** A checked scenario in normal form: what the runner, the list command and the report read. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly refs: readonly string[];
  readonly kind: ScenarioKind;
  readonly memory: MemorySpec;
  readonly variants: readonly VariantInfo[];
  readonly threads: readonly ThreadInfo[];
  readonly outcomes: readonly OutcomeInfo[];
  readonly arbiter: Arbiter | undefined;
  readonly metrics: readonly MetricInfo[];
  readonly budget: Required<Omit<Budget, 'iterations'>> & Pick<Budget, 'iterations'>;
  readonly notes: readonly string[];
  readonly model: ModelInstance | undefined;
  /** The module it came from and its export, set by the loader: workers import it from there. */
  readonly file?: string;
  readonly exportName?: string;
}

export const DEFAULT_BUDGET = {
  seconds: 2,
  stallSeconds: 2,
  sliceMicros: 1000,
  batch: 64,
} as const;

/**
 * Check a scenario declaration and return it in normal form. Throws a UserError naming the
 * scenario and the field, with "did you mean" where a name is close to a declared one.
 */
export function defineScenario<
  const M extends MemorySpec,
  V extends string,
  O extends string,
  const X extends MetricSpec = Record<never, MetricKind>,
>(spec: ScenarioSpec<M, V, O, X>): Scenario {
  const fail = (what: string): never => {
    throw new UserError(`scenario ${spec.name}: ${what}`);
  };
  if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.name)) fail('name must be lower-case words joined by -');
  if (!SCENARIO_KINDS.includes(spec.kind)) fail(`kind must be one of ${SCENARIO_KINDS.join(', ')}`);
  if (spec.kind === 'iterations' && !spec.arbiter) fail("kind 'iterations' needs an arbiter");
  checkMemory(spec.memory, fail);
  const variants = normaliseVariants(spec.variants, fail);
  const names = variants.map((v) => v.name);
  const outcomes = normaliseOutcomes(spec.outcomes, names, fail);
  checkGuesses(spec.model?.guesses, names, fail);
  for (const key of ['plain', 'plainFree'] as const)
    for (const v of spec.model?.[key] ?? [])
      if (!names.includes(v)) fail(`model.${key}: no variant ${v}${didYouMean(v, names)}`);
  for (const v of spec.model?.plainFree ?? [])
    if (spec.model?.plain?.includes(v)) fail(`model.plain and model.plainFree both name ${v}`);
  return {
    name: spec.name,
    description: spec.description,
    refs: spec.refs ?? [],
    kind: spec.kind,
    memory: spec.memory,
    variants,
    threads: normaliseThreads(spec.threads as Record<string, unknown>, fail),
    outcomes,
    arbiter: spec.arbiter as Arbiter | undefined,
    metrics: normaliseMetrics(spec.metrics ?? {}, fail),
    budget: normaliseBudget(spec.budget ?? {}, fail),
    notes: spec.notes ?? [],
    model: spec.model,
  };
}

type Fail = (what: string) => never;

/** model.guesses: a whole number, or one per declared variant. */
function checkGuesses(guesses: ModelInstance['guesses'], variants: string[], fail: Fail): void {
  if (guesses === undefined) return;
  const caps = typeof guesses === 'number' ? { '': guesses } : guesses;
  for (const [variant, n] of Object.entries(caps)) {
    const where = variant ? `model.guesses['${variant}']` : 'model.guesses';
    if (variant && !variants.includes(variant))
      fail(`${where}: no variant ${variant}${didYouMean(variant, variants)}`);
    if (!(Number.isInteger(n) && n >= 0)) fail(`${where} must be a whole number`);
  }
}

function checkMemory(memory: MemorySpec, fail: Fail): void {
  for (const [name, decl] of Object.entries(memory) as [string, CellDecl][]) {
    const type = typeof decl === 'string' ? decl : decl.type;
    if (!(CELL_TYPES as readonly string[]).includes(type)) {
      fail(`memory.${name}: unknown type ${type}${didYouMean(String(type), CELL_TYPES)}`);
    }
    const init = typeof decl === 'string' ? undefined : decl.init;
    if (init !== undefined && !['int', 'atomic_t', 'u64', 'atomic64_t'].includes(type))
      fail(
        `memory.${name}: a ${type} starts unlocked/zero; only int, atomic_t, u64, atomic64_t take an init`,
      );
    if (typeof init === 'number' && !Number.isInteger(init))
      fail(`memory.${name}: init must be an integer`);
    const length = typeof decl === 'string' ? undefined : decl.length;
    if (
      length !== undefined &&
      !(Number.isInteger(length) && length > 0 && length <= MAX_ARRAY_LENGTH)
    )
      fail(`memory.${name}: length must be an integer from 1 to ${MAX_ARRAY_LENGTH}`);
  }
}

function normaliseVariants(
  variants: Record<string, string | VariantSpec>,
  fail: Fail,
): VariantInfo[] {
  const out = Object.entries(variants).map(([name, v]) =>
    typeof v === 'string'
      ? { name, description: v, stall: 'forbidden' as const }
      : { name, description: v.description, stall: v.stall ?? 'forbidden' },
  );
  if (out.length === 0) fail('declares no variants');
  for (const v of out)
    if (![...GRADES, 'expected'].includes(v.stall))
      fail(`variant ${v.name}: unknown stall grade ${v.stall}`);
  return out;
}

function normaliseOutcomes(
  outcomes: Record<string, Grade | Record<string, Grade>>,
  variants: readonly string[],
  fail: Fail,
): OutcomeInfo[] {
  const out: OutcomeInfo[] = [];
  for (const [name, g] of Object.entries(outcomes)) {
    if (name === STALL_OUTCOME)
      fail(`outcome "${name}" is reserved for the watchdog; grade it with a variant's stall`);
    const grades =
      typeof g === 'string' ? Object.fromEntries(variants.map((v) => [v, g])) : { ...g };
    for (const v of Object.keys(grades))
      if (!variants.includes(v))
        fail(`outcome "${name}" grades unknown variant ${v}${didYouMean(v, variants)}`);
    for (const v of variants) {
      if (grades[v] === undefined) fail(`outcome "${name}" has no grade for variant ${v}`);
      if (!GRADES.includes(grades[v]!))
        fail(`outcome "${name}": unknown grade ${grades[v]} (one of ${GRADES.join(', ')})`);
    }
    out.push({ name, grades });
  }
  if (out.length === 0) fail('declares no outcomes');
  return out;
}

function normaliseThreads(threads: Record<string, unknown>, fail: Fail): ThreadInfo[] {
  const out: ThreadInfo[] = [];
  for (const [name, t] of Object.entries(threads)) {
    if (typeof t === 'function') out.push({ name, run: t as ThreadInfo['run'] });
    else {
      const g = t as { count: unknown; run: unknown };
      if (!Number.isInteger(g.count) || (g.count as number) < 1 || typeof g.run !== 'function')
        fail(`thread ${name}: expected a function or { count: positive integer, run: function }`);
      for (let k = 0; k < (g.count as number); k++)
        out.push({ name: `${name}${k}`, run: g.run as ThreadInfo['run'] });
    }
  }
  if (out.length === 0) fail('declares no threads');
  if (out.length > MAX_THREADS)
    fail(`declares ${out.length} threads, more than MAX_THREADS (${MAX_THREADS})`);
  return out;
}

function normaliseMetrics(metrics: MetricSpec, fail: Fail): MetricInfo[] {
  return Object.entries(metrics).map(([name, kind]) => {
    if (!METRIC_KINDS.includes(kind))
      fail(`metric ${name}: unknown kind ${kind} (one of ${METRIC_KINDS.join(', ')})`);
    return { name, kind };
  });
}

function normaliseBudget(b: Budget, fail: Fail): Scenario['budget'] {
  const out = { ...DEFAULT_BUDGET, ...b };
  for (const [k, v] of Object.entries(out))
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v)))
      fail(`budget.${k} must be a positive number`);
  if (!Number.isInteger(out.batch)) fail('budget.batch must be an integer');
  return out;
}
