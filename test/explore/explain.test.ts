// --explain and --ablate for program scenarios, in-process: the execution told per CPU with the
// scenario's own lines (found here by their text, so that an edit of the scenario moves them),
// the reads' sources, the forbidding cycle of a never, the calls grouped as the code made them,
// why an outcome reached only without dependencies would not be with them;
// the ablation's elements found by their lines and each weakened alone.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { changeOf, siteFinder, siteWeakening } from '../../src/explore/ablate.ts';
import { explainOutcome } from '../../src/explore/explain.ts';
import { exploreVariant, type ScenarioExploreOptions } from '../../src/explore/scenario.ts';
import {
  cond_resched,
  defineScenario,
  plain_load,
  plain_store,
  READ_ONCE,
  type Scenario,
  spin_lock,
  spin_unlock,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';
import { formatScenarioExplanation } from '../../src/report/scenario-explain-text.ts';
import { loadScenario } from '../../src/runtime/scenario/load.ts';

const OPTS = { timeoutMs: 120_000 } as const;

/** The 1-based line of the scenario's source that contains `text` (exactly one). */
function lineOf(file: string, text: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []));
  if (at.length !== 1) throw new Error(`${text}: ${at.length} lines of ${file}`);
  return at[0]!;
}

const calls = (e: ReturnType<typeof explainOutcome>, thread: number) =>
  (e.witness ?? e.rejected!.execution).threads[thread]!.calls.map((c) => [
    `${c.call}:${c.line}`,
    c.events.map((x) => (x.from ? `${x.text} <- ${x.from}` : x.text)),
  ]);

test('a reachable outcome: each CPU its calls at their lines, each read its source', async (t) => {
  const s = await loadScenario('atomic-bool');
  const opts: ScenarioExploreOptions = { ...OPTS, model: 'lkmm', explain: 'flag seen, data stale' };
  const v = exploreVariant(s, 'once', opts);
  const e = explainOutcome(s, v, 'flag seen, data stale');
  const data = lineOf(s.file!, 'else WRITE_ONCE(m.data, 1);');
  const flag = lineOf(s.file!, 'else WRITE_ONCE(m.flag, 1);');
  const firstRead = lineOf(s.file!, 'let flag = readFlag(m.flag);');
  const dataRead = lineOf(s.file!, "variant === 'plain' ? plain_load(m.data) : READ_ONCE(m.data)");
  t.is(e.verdict, 'reachable');
  t.deepEqual(calls(e, 0), [
    [`WRITE_ONCE:${data}`, ['W data=1']],
    [`WRITE_ONCE:${flag}`, ['W flag=1']],
  ]);
  // The smallest witness: the reader sees the flag at its first look.
  t.deepEqual(calls(e, 1), [
    [`READ_ONCE:${firstRead}`, [`R flag=1 <- P0 writer's WRITE_ONCE() at atomic-bool.ts:${flag}`]],
    [`READ_ONCE:${dataRead}`, ['R data=0 <- the initial value']],
  ]);
  t.is(e.graph.verdict, 'witness');
  t.deepEqual(e.graph.threadNames, ['writer', 'reader']);
  t.true(
    e.graph.nodes.some(
      (n) => n.label === 'R data=0' && n.at === `READ_ONCE() at atomic-bool.ts:${dataRead}`,
    ),
  );
  t.regex(
    formatScenarioExplanation(e),
    /^"flag seen, data stale" in atomic-bool once under lkmm: reachable — \d+ of 8 executions reach it\. One of them:$/m,
  );
});

test('a never outcome: exhaustive, and the cycle through smp_wmb() and smp_rmb() at their lines', async (t) => {
  const s = await loadScenario('atomic-bool');
  const v = exploreVariant(s, 'wmb-rmb', {
    ...OPTS,
    model: 'lkmm',
    explain: 'flag seen, data stale',
  });
  const e = explainOutcome(s, v, 'flag seen, data stale');
  t.is(e.verdict, 'never');
  t.is(e.extent.kind, 'exhaustive');
  t.true(e.rejectedCount > 0);
  t.deepEqual(Object.keys(e.rejectedBy), ['happens-before']);
  t.is(e.rejected?.axiom, 'happens-before');
  const wmb = lineOf(s.file!, "if (variant === 'wmb-rmb') smp_wmb();");
  const rmb = lineOf(s.file!, "if (variant === 'wmb-rmb') smp_rmb();");
  const cycle = e.rejected!.cycle.join('\n');
  t.regex(cycle, new RegExp(`--cumulative fence: smp_wmb\\(\\) at atomic-bool\\.ts:${wmb}-->`));
  t.regex(cycle, new RegExp(`--ppo: smp_rmb\\(\\) at atomic-bool\\.ts:${rmb}-->`));
  t.regex(
    cycle,
    /P1 reader R data=0 \(READ_ONCE\(\) at atomic-bool\.ts:\d+\) {2}\(back to the start\)/,
  );
  t.is(e.graph.verdict, 'forbidden');
  t.true(e.graph.edges.some((x) => x.kind === 'cycle'));
  const text = formatScenarioExplanation(e);
  t.regex(text, /: never — exhaustive, 5 executions\.$/m);
  t.regex(text, /would reach it; the model forbids each \(by axiom: happens-before \d+\)\./);
});

test('sc rejects the stale candidates: never, with the axiom and its count', async (t) => {
  const s = await loadScenario('atomic-bool');
  const v = exploreVariant(s, 'once', { ...OPTS, model: 'sc', explain: 'flag seen, data stale' });
  const e = explainOutcome(s, v, 'flag seen, data stale');
  t.is(e.verdict, 'never');
  t.true(e.rejectedCount > 0);
  t.deepEqual(Object.keys(e.rejectedBy), ['sc']);
});

test('calls are grouped as the code made them: an rmw its read and write, a loop its passes', async (t) => {
  const s = await loadScenario('rwlock-exclusion');
  const outcome = 'record torn (fields of two updates)';
  const v = exploreVariant(s, 'writer-locked', { ...OPTS, model: 'sc', explain: outcome });
  const e = explainOutcome(s, v, outcome);
  const writer = e.witness!.threads[0]!.calls;
  const lock = writer.find((c) => c.call === 'write_lock')!;
  t.deepEqual(
    lock.events.map((x) => x.text),
    ['R lock.cnts=0', 'W lock.cnts=255'],
  );
  // The writer's four WRITE_ONCE of the record, one call each though they share a line.
  const stores = writer.filter((c) => c.call === 'WRITE_ONCE');
  t.is(stores.length, 4);
  t.is(new Set(stores.map((c) => c.line)).size, 1);
  t.deepEqual(
    stores.map((c) => c.events.map((x) => x.text)),
    [0, 1, 2, 3].map((i) => [`W record[${i}]=1`]),
  );
});

/** Two CPUs add 1 to a counter under a spin lock; with a yield between (an explored choice). */
const LOCKED = defineScenario({
  name: 'locked-counter',
  description: 'two increments under a lock',
  kind: 'iterations',
  memory: { lock: 'spinlock_t', count: 'int' },
  variants: { locked: 'spin_lock around the increment' },
  threads: {
    a(_cpu, m) {
      spin_lock(m.lock);
      plain_store(m.count, plain_load(m.count) + 1);
      cond_resched();
      spin_unlock(m.lock);
    },
    b(_cpu, m) {
      spin_lock(m.lock);
      plain_store(m.count, plain_load(m.count) + 1);
      spin_unlock(m.lock);
    },
  },
  arbiter: (m) => (READ_ONCE(m.count) === 2 ? 'both counted' : 'an update lost'),
  outcomes: {
    'both counted': 'acceptable',
    'an update lost': 'forbidden',
    'counted three times': 'forbidden',
  },
});
const locked: Scenario = { ...LOCKED, file: fileURLToPath(import.meta.url) };

test("the explorer's answers without an event are told with their call", (t) => {
  const v = exploreVariant(locked, 'locked', { ...OPTS, model: 'sc', explain: 'both counted' });
  const e = explainOutcome(locked, v, 'both counted');
  const a = e.witness!.threads[0]!.calls;
  t.deepEqual(
    a.map((c) => [c.call, c.events.map((x) => x.text), c.answers]),
    [
      ['spin_lock', ['LKR lock', 'LKW lock'], []],
      ['plain_load', ['R count=0'], []],
      ['plain_store', ['W count=1'], []],
      ['cond_resched', [], ['need_resched: no']],
      ['spin_unlock', ['UL lock'], []],
    ],
  );
  t.true(a.every((c) => c.file === 'explain.test.ts'));
});

test('an outcome no candidate execution reaches: said so, nothing drawn', (t) => {
  const v = exploreVariant(locked, 'locked', {
    ...OPTS,
    model: 'sc',
    explain: 'counted three times',
  });
  const e = explainOutcome(locked, v, 'counted three times');
  t.is(e.rejectedCount, 0);
  t.is(e.graph.verdict, 'unreached');
  t.is(
    formatScenarioExplanation(e).split('\n')[1],
    'No candidate execution the explorer judged reaches it: no run of the threads, with values some write stores, leads there.',
  );
});

test('ablation: the sites found by their lines, each weakened alone', async (t) => {
  const s = await loadScenario('atomic-bool');
  const finder = siteFinder();
  exploreVariant(s, 'wmb-rmb', { ...OPTS, model: 'lkmm', weakening: finder.weakening });
  const sites = finder.sites();
  t.deepEqual(
    sites.map((x) => [x.call, x.line, x.ops, x.threads]),
    [
      ['smp_wmb', lineOf(s.file!, "if (variant === 'wmb-rmb') smp_wmb();"), ['smp_wmb'], [0]],
      ['smp_rmb', lineOf(s.file!, "if (variant === 'wmb-rmb') smp_rmb();"), ['smp_rmb'], [1]],
    ],
  );
  t.deepEqual(sites.map(changeOf), ['removed', 'removed']);
  const stale = (v: ReturnType<typeof exploreVariant>) =>
    v.outcomes.find((o) => o.outcome === 'flag seen, data stale')!.executions;
  t.is(stale(exploreVariant(s, 'wmb-rmb', { ...OPTS, model: 'lkmm' })), 0);
  for (const site of sites) {
    const v = exploreVariant(s, 'wmb-rmb', {
      ...OPTS,
      model: 'lkmm',
      weakening: siteWeakening(site),
    });
    t.true(stale(v) > 0, `${site.call} removed: stale data`);
    t.is(v.extent.kind, 'exhaustive');
  }
  // Under tso the two fences order nothing TSO does not: removing either changes nothing.
  for (const site of sites) {
    const v = exploreVariant(s, 'wmb-rmb', {
      ...OPTS,
      model: 'tso',
      weakening: siteWeakening(site),
    });
    t.is(stale(v), 0);
  }
});

test('ablation: a spin_lock removed with its spin_unlock loses an update; acquire → ONCE', async (t) => {
  const finder = siteFinder();
  exploreVariant(locked, 'locked', { ...OPTS, model: 'sc', weakening: finder.weakening });
  const sites = finder.sites();
  t.deepEqual(
    sites.map((x) => [x.call, changeOf(x)]),
    [
      ['spin_lock', 'lock removed, with its spin_unlock()'],
      ['spin_lock', 'lock removed, with its spin_unlock()'],
    ],
  );
  const lost = (v: ReturnType<typeof exploreVariant>) =>
    v.outcomes.find((o) => o.outcome === 'an update lost')!.executions;
  t.is(lost(exploreVariant(locked, 'locked', { ...OPTS, model: 'sc' })), 0);
  const v = exploreVariant(locked, 'locked', {
    ...OPTS,
    model: 'sc',
    weakening: siteWeakening(sites[0]!),
  });
  t.true(lost(v) > 0);
  t.is(v.extent.kind, 'exhaustive');
  t.deepEqual(
    ['smp_load_acquire', 'cmpxchg', 'atomic_fetch_add_release', 'smp_mb'].map((op) =>
      changeOf({ call: op, ops: [op] }),
    ),
    [
      'smp_load_acquire → READ_ONCE',
      'cmpxchg → cmpxchg_relaxed',
      'atomic_fetch_add_release → atomic_fetch_add_relaxed',
      'removed',
    ],
  );
  t.is(
    changeOf({ call: 'read_lock', ops: ['atomic_fetch_add_acquire', 'smp_load_acquire'] }),
    'atomic_fetch_add_acquire → atomic_fetch_add_relaxed, smp_load_acquire → READ_ONCE',
  );
});

/** Load buffering: each CPU reads one word, then writes the other. */
const LB = defineScenario({
  name: 'load-buffering',
  description: 'each CPU reads, then writes what the other reads',
  kind: 'iterations',
  memory: { x: 'int', y: 'int' },
  variants: { once: 'READ_ONCE then WRITE_ONCE' },
  threads: {
    p0(_cpu, m) {
      const r = READ_ONCE(m.x);
      WRITE_ONCE(m.y, 1);
      return r;
    },
    p1(_cpu, m) {
      const r = READ_ONCE(m.y);
      WRITE_ONCE(m.x, 1);
      return r;
    },
  },
  arbiter: (_m, r) => (r.p0![0] === 1 && r.p1![0] === 1 ? 'both read 1' : 'not both'),
  outcomes: { 'both read 1': 'interesting', 'not both': 'acceptable' },
  model: { description: 'one pass' },
});
const lb: Scenario = { ...LB, file: fileURLToPath(import.meta.url) };

test("reachable only without dependencies: lkmm's axiom and cycle once each read orders its thread", (t) => {
  const v = exploreVariant(lb, 'once', { ...OPTS, model: 'lkmm', explain: 'both read 1' });
  const e = explainOutcome(lb, v, 'both read 1');
  t.is(e.verdict, 'reachable');
  t.is(e.ordered, 0, 'LB+poonceonces is allowed; LB with a dependency in each thread is not');
  t.truthy(e.withDependencies);
  t.is(e.withDependencies!.axiom, 'happens-before');
  const text = formatScenarioExplanation(e);
  t.regex(
    text,
    /^This one, with a control dependency from each read, is forbidden by the \S+ axiom \(.+\):$/m,
  );
  // The cycle names the scenario's calls at their lines.
  // (The text is put together so that this line does not hold it too.)
  const read = lineOf(lb.file!, ['const r =', 'READ_ONCE(m.x);'].join(' '));
  t.regex(text, new RegExp(`READ_ONCE\\(\\) at explain\\.test\\.ts:${read}`));
});
