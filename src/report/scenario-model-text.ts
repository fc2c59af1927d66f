// The text report of a program scenario on the model backend: the variants side by side, as
// hw and weak print their counts, each outcome's cell saying `reachable` or `never` and how far
// that holds — "never — exhaustive, 1,234 executions", "never within loop bound 3 (N
// executions; 2 cut at the bound)", "gave up after the budget: N executions, about X%", with
// ", races aside" under lkmm where a data race may reach what the search did not, ", clock
// aside" where the code read ktime_get_ns() (two gaps per read are not every time).
// Nothing bounded is called exhaustive. Data in, string out: no I/O here.

import type { ModelDeadlock } from '../explore/deadlock.ts';
import type { Extent } from '../explore/scenario.ts';
import type {
  ModelOutcome,
  ModelVariantResult,
  ScenarioModelResult,
} from '../explore/scenario-result.ts';
import { count, table } from './format.ts';

/** Format a whole explorer run. */
export function formatScenarioModelResult(r: ScenarioModelResult): string {
  const lines = [
    `Scenario ${r.scenario}  (${r.file})`,
    r.description,
    `model ${r.model}: every execution of the model instance (${r.instance}); loop bound ${r.loopBound}; ${r.date}`,
    '',
  ];
  const explored = r.variants.filter((v) => v.refused === undefined);
  const refused = r.variants.filter((v) => v.refused !== undefined);
  if (refused.length > 0) lines.push(`not explored: ${refused[0]!.refused}`, '');
  if (explored.length === 0) return lines.join('\n');
  for (const [kind, label] of [
    ['interrupted', 'PARTIAL (interrupted)'],
    ['gave-up', 'PARTIAL (the budget, --model-timeout or the heap, ran out)'],
  ] as const) {
    const partial = explored.filter((v) => v.extent.kind === kind);
    if (partial.length > 0) lines.push(`${label}: ${partial.map((v) => v.variant).join(', ')}`, '');
  }
  const names = explored[0]!.outcomes.map((o) => o.outcome);
  const rows = names.map((name) => [
    name,
    ...explored.map((v) => {
      const o = v.outcomes.find((x) => x.outcome === name);
      return o ? cell(v, o) : '';
    }),
  ]);
  if (explored.some((v) => v.deadlock))
    rows.push([
      'deadlock',
      ...explored.map((v) => {
        if (!v.deadlock) return noDeadlock(v, r.model);
        const names = v.deadlock.threads.map((t) => t.thread);
        return `DEADLOCK: ${names.join(', ')} wait${names.length === 1 ? 's' : ''} for good`;
      }),
    ]);
  rows.push([
    'explored',
    ...explored.map(
      (v) => `${howFar(v.extent)}: ${executions(v.executions)}, ${v.elapsedSeconds.toFixed(2)} s`,
    ),
  ]);
  lines.push(table([['Outcome', ...explored.map((v) => v.variant)], ...rows]), '');
  const marks = markNotes(explored);
  if (marks.length > 0) lines.push(...marks, '');
  for (const v of explored)
    if (v.livelock)
      lines.push(
        `${v.variant}: possible livelock: ${v.livelock.thread} goes round a loop with the same events and values each pass, forever while memory answers the same:`,
        `  ${v.livelock.cycle.join('; ')}`,
        '',
      );
  for (const v of explored) if (v.deadlock) lines.push(deadlockText(v), '');
  lines.push('Variants', ...explored.map((v) => `  ${v.variant}: ${v.description}`), '');
  for (const f of r.failures) lines.push(`FAILURE ${f.message}`);
  if (r.failures.length > 0) lines.push('');
  return lines.join('\n');
}

/**
 * The deadlock cell of a variant without one: `never` as far as the search went; under lkmm
 * `none found`, since that the search meets every deadlock lkmm accepts is not proven
 * (docs/explore.md "Deadlock": a state where threads wait for good may need a guess no write
 * resolves), so no bound makes it a never.
 */
export function noDeadlock(
  v: Pick<ModelVariantResult, 'extent' | 'executions'>,
  model: string,
): string {
  const never = notReached(v);
  if (model !== 'lkmm' || !never.startsWith('never')) return never;
  return `none found${never.slice('never'.length)}; not proven complete under lkmm`;
}

/** `reachable` (with its marks) or `never` with the extent of the answer. */
export function cell(v: ModelVariantResult, o: ModelOutcome): string {
  if (o.verdict === 'reachable') {
    const marks = reachableMarks(o);
    const fail = o.grade === 'forbidden' && o.raceFree > 0 ? ' FAILURE' : '';
    return `reachable${marks.length ? ` (${marks.join(', ')})` : ''} ${o.grade}${fail}`;
  }
  return notReached(v);
}

/** The marks a reachable cell carries (the README's verdicts cell gives the same ones). */
export function reachableMarks(o: Pick<ModelOutcome, 'raceFree' | 'ordered'>): string[] {
  return [
    ...(o.raceFree === 0 ? ['data race only'] : []),
    ...(o.ordered === 0 ? ['no dependency'] : []),
  ];
}

/** `1 execution`, `1,234 executions`. */
export const executions = (n: number): string => `${count(n)} execution${n === 1 ? '' : 's'}`;

/** What a variant says of an outcome it did not reach: never, and how far that holds. */
export function notReached(v: Pick<ModelVariantResult, 'extent' | 'executions'>): string {
  const n = executions(v.executions);
  const e = v.extent;
  switch (e.kind) {
    case 'exhaustive':
      return `never — exhaustive, ${n}${aside(e)}`;
    case 'bounded': {
      return `never within ${boundsOf(e)} (${[n, ...cutAt(e)].join('; ')})${aside(e)}`;
    }
    case 'gave-up':
    case 'interrupted':
      return stoppedAt(e, n);
    case 'refused':
      return 'not explored';
  }
}

/**
 * How far a variant's search went, for its `explored` cell: a variant whose every outcome is
 * reachable has no never cell to carry its bounds.
 */
export function howFar(e: Extent): string {
  switch (e.kind) {
    case 'exhaustive':
      return `exhaustive${aside(e)}`;
    case 'bounded':
      return `within ${boundsOf(e)}${aside(e)}`;
    case 'gave-up':
      return `gave up${e.heapFull ? ' (heap nearly full)' : ''}, about ${e.percent}%`;
    case 'interrupted':
      return `interrupted, about ${e.percent}%`;
    case 'refused':
      return 'not explored';
  }
}

/**
 * `, races aside` where the answer holds races aside (docs/explore.md "Races aside"), `, clock
 * aside` where the code read ktime_get_ns() (docs/explore.md "Determinism").
 */
export function aside(e: Extent): string {
  if (e.kind !== 'exhaustive' && e.kind !== 'bounded') return '';
  return `${e.racesAside ? ', races aside' : ''}${e.clockAside ? ', clock aside' : ''}`;
}

/** How far a search stopped early got: `gave up after the budget: N executions, about X%`. */
export function stoppedAt(
  e: Extract<Extent, { kind: 'gave-up' | 'interrupted' }>,
  n: string,
): string {
  const why =
    e.kind === 'interrupted'
      ? 'interrupted'
      : `gave up ${e.heapFull ? 'with its heap nearly full' : 'after the budget'}`;
  return `${why}: ${n}, about ${e.percent}%`;
}

/**
 * What limited a bounded answer, each bound named only when it cut something: `loop bound 3`,
 * `2 guessed reads per execution`, `8 rounds of guessed values`.
 */
export function boundsOf(e: Extract<Extent, { kind: 'bounded' }>): string {
  const bounds = [
    ...(e.cut > 0 ? [`loop bound ${e.loopBound}`] : []),
    ...(e.events ? [`${count(e.events.limit)} events per thread`] : []),
    ...(e.guesses !== undefined
      ? [`${e.guesses} guessed read${e.guesses === 1 ? '' : 's'} per execution`]
      : []),
    ...(e.rounds !== undefined ? [`${e.rounds} rounds of guessed values`] : []),
    ...(e.stops ? [stopsText(e.stops)] : []),
  ];
  return bounds.length > 0 ? bounds.join(' and ') : `loop bound ${e.loopBound}`;
}

/**
 * The kthread_should_stop() bound (Extent.stops): `1 kthread pass (writer, reader)`, or
 * `kthread passes zapper 1, vcpu0 0` — each thread told to go on at most that many times.
 */
export function stopsText(stops: Readonly<Record<string, number>>): string {
  const each = Object.entries(stops);
  const n = each[0]![1];
  if (each.every(([, k]) => k === n))
    return `${n} kthread pass${n === 1 ? '' : 'es'} (${each.map(([t]) => t).join(', ')})`;
  return `kthread passes ${each.map(([t, k]) => `${t} ${k}`).join(', ')}`;
}

/** How many paths each cut: `2 cut at the bound`, `1 cut at 2,000 events`. */
function cutAt(e: Extract<Extent, { kind: 'bounded' }>): string[] {
  return [
    ...(e.cut > 0 ? [`${count(e.cut)} cut at the bound`] : []),
    ...(e.events ? [`${count(e.events.cut)} cut at ${count(e.events.limit)} events`] : []),
  ];
}

/** What the marks in reachable cells, and a never's races aside, mean, when any is shown. */
function markNotes(vs: readonly ModelVariantResult[]): string[] {
  const all = vs.flatMap((v) => v.outcomes.filter((o) => o.verdict === 'reachable'));
  const out: string[] = [];
  if (all.some((o) => o.raceFree === 0))
    out.push(
      'data race only: every execution that reaches it has plain accesses racing (lkmm flags data-race: the kernel calls that undefined)',
    );
  if (vs.some((v) => aside(v.extent).includes('races')))
    out.push(
      'races aside: an execution whose load-buffering cycle passes through a plain access (a data race lkmm flags) may reach what the search did not: the code may make a plain access and a read had to guess its value',
    );
  if (vs.some((v) => v.extent.kind === 'bounded' && v.extent.stops))
    out.push(
      'kthread passes: kthread_should_stop() told each thread named to go on at most that many times (model.iterations); a stop at every call before was explored, more passes were not',
    );
  if (vs.some((v) => aside(v.extent).includes('clock')))
    out.push(
      "clock aside: the code read ktime_get_ns(), and the search let a moment (1 ns) or an hour pass between two of a CPU's reads: code that needs an elapsed time inside a window, many moments to add up, or one CPU's time compared with another's may reach what the search did not",
    );
  if (all.some((o) => o.ordered === 0))
    out.push(
      "no dependency: lkmm forbids it once each read is ordered before its thread's later accesses; kernel code with an address, data or control dependency on that path does not reach it",
    );
  return out;
}

/** A variant's deadlock: which CPU waits on what, and where. */
export function deadlockText(v: Pick<ModelVariantResult, 'variant' | 'deadlock'>): string {
  const d = v.deadlock!;
  const finished = d.finished.length ? ` (${d.finished.join(', ')} finished)` : '';
  return [
    `${v.variant}: DEADLOCK: an execution in which every CPU that has not finished waits for good${finished}:`,
    ...deadlockLines(d).map((l) => `  ${l}`),
  ].join('\n');
}

/** `p0 waits at spin_lock(b), held by p1 (spin_lock() at abba.ts:31)`, one line per waiting CPU. */
export function deadlockLines(d: ModelDeadlock): string[] {
  return d.threads.map(
    (t) =>
      `${t.thread} waits at ${t.waits}${t.file ? ` (${t.call}() at ${t.file}:${t.line})` : ''}`,
  );
}
