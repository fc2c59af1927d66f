// --explain OUTCOME for a program scenario: the execution that reaches the outcome, told per CPU
// as the kernel API calls the scenario made, in order, each at its line of the scenario's source,
// with the values each read returned and the write (CPU and call) it read from; or, for an
// outcome the explorer never reached, how far that holds and, for the candidate executions that
// would reach it, the axiom the model rejects each by and the cycle that breaks it (as --explain
// tells it for a litmus test, src/model/explain/).
//
// The exploration keeps no call sites (capturing a stack per event would cost more than the
// search): the witness's runs are replayed here with their answers, once, on a Tracer that asks
// the stack where each event was made (call-site.ts). The replay is exact: the code is
// deterministic given its answers.
//
// The result is plain data (it goes to the JSON record and crosses from the explorer's worker);
// report/scenario-explain-text.ts prints it, report/graph-dot.ts draws its graph.

import type { Scenario } from '../kernel/scenario.ts';
import type { Value } from '../litmus/ir.ts';
import type { TracedEvent, Tracer } from '../memory/explore.ts';
import type { ModelName } from '../model/core/base.ts';
import { type Event, type Execution, finalValues } from '../model/core/execution.ts';
import type { EventNaming } from '../model/explain/describe.ts';
import { axiomCycle } from '../model/explain/explain-cycle.ts';
import { type ExecutionGraph, executionGraph } from '../model/explain/explain-graph.ts';
import { MODEL_TABLE } from '../model/models/registry.ts';
import { type CallSite, callSiteWithPath, siteFile, siteKey } from './call-site.ts';
import { orderedReads } from './explore.ts';
import {
  type Extent,
  type NotReached,
  notReachedVerdict,
  type RejectedWitness,
  type ScenarioRun,
  type VariantVerdict,
  type Witness,
} from './scenario.ts';
import type { Finished } from './search.ts';
import { replay } from './thread.ts';

/** One event of a call: `R flag=1`, and for a read the write it read from. */
export interface ExplainedEvent {
  /** The event's number in the execution (the graph's node). */
  id: number;
  text: string;
  /** A read's source: `P0 writer's WRITE_ONCE() at atomic-bool.ts:93`, `the initial value`. */
  from?: string;
}

/** One call of the kernel API by the scenario's code. */
export interface ExplainedCall {
  /** `READ_ONCE`, `read_lock`. */
  call: string;
  /** The scenario's source, relative to the scenario's own file: `atomic-bool.ts`. */
  file: string;
  line: number;
  col: number;
  events: ExplainedEvent[];
  /** The explorer's answers to questions without an event: `need_resched: yes`. */
  answers: string[];
}

export interface ExplainedThread {
  /** P0, P1, ... and the scenario's name for it. */
  thread: number;
  name: string;
  calls: ExplainedCall[];
  /** What the thread body returned, and the outcomes it observed itself. */
  returned: readonly number[];
  observed: string[];
}

/** One execution, told per CPU. */
export interface ExplainedExecution {
  threads: ExplainedThread[];
  /** Per location written more than once: its writes in coherence order. */
  coherence: string[];
  /** The final value of each location the execution touched: `flag=1`. */
  finals: string[];
}

/** A candidate execution that would reach the outcome, and why the model rejects it. */
export interface ExplainedRejection {
  axiom: string;
  /** `acyclic hb`. */
  check: string;
  execution: ExplainedExecution;
  /** The steps of the cycle that breaks the axiom, as --explain prints them for litmus tests. */
  cycle: string[];
}

export interface ScenarioExplanation {
  scenario: string;
  variant: string;
  model: ModelName;
  outcome: string;
  verdict: 'reachable' | NotReached;
  /** Accepted executions that reach the outcome, and in all. */
  reaching: number;
  executions: number;
  /**
   * Of those reaching it, with no data race, and (lkmm) still accepted with every read ordered
   * before its thread's later accesses: the marks of the table's cell.
   */
  raceFree: number;
  ordered: number;
  /** How far a never holds. */
  extent: Extent;
  /** Reachable: one execution that reaches it. */
  witness?: ExplainedExecution;
  /**
   * Reachable under lkmm only without dependencies (the cell's `no dependency`): the witness with
   * a control dependency from each read to its thread's later accesses, and the axiom that
   * forbids it then, with its cycle.
   */
  withDependencies?: Omit<ExplainedRejection, 'execution'>;
  /** Never: the smallest candidate reaching it that the model rejects. */
  rejected?: ExplainedRejection;
  /** How many candidates reaching it the model rejected, in all and by axiom. */
  rejectedCount: number;
  rejectedBy: Record<string, number>;
  /** The witness, or the first rejected candidate with its cycle, as a graph. */
  graph: ExecutionGraph;
}

/** The explanation of `outcome` from a variant explored with `explain: outcome`. */
export function explainOutcome(
  s: Scenario,
  v: VariantVerdict,
  outcome: string,
): ScenarioExplanation {
  const o = v.outcomes.find((x) => x.outcome === outcome);
  if (!o) throw new Error(`internal: ${s.name} has no outcome "${outcome}"`);
  const head = {
    test: `${s.name} ${v.variant}: ${outcome}`,
    model: v.model,
    threads: s.threads.map((_, i) => i),
    threadNames: s.threads.map((t) => t.name),
  };
  const base = {
    scenario: s.name,
    variant: v.variant,
    model: v.model,
    outcome,
    reaching: o.executions,
    executions: v.stats.executions,
    raceFree: o.raceFree,
    ordered: o.ordered,
    extent: v.extent,
    rejectedCount: v.rejected?.count ?? 0,
    rejectedBy: v.rejected?.byAxiom ?? {},
  };
  if (o.witness) {
    const told = tell(s, v, o.witness);
    const ordered = o.ordered === 0 ? dependencyCycle(v, o.witness, told) : undefined;
    return {
      ...base,
      verdict: 'reachable',
      witness: told.execution,
      ...(ordered && { withDependencies: ordered }),
      graph: executionGraph(head, o.witness.x, told.naming),
    };
  }
  const r = v.rejected?.smallest;
  if (!r)
    return {
      ...base,
      verdict: notReachedVerdict(v.extent),
      graph: { ...head, verdict: 'unreached', nodes: [], edges: [] },
    };
  const told = tell(s, v, r);
  return {
    ...base,
    verdict: notReachedVerdict(v.extent),
    rejected: rejection(r, told),
    graph: executionGraph(head, r.x, told.naming, { ...r.failed, named: r.named }),
  };
}

/** Why lkmm forbids the witness once every read orders its thread's later accesses. */
function dependencyCycle(
  v: VariantVerdict,
  w: Witness,
  told: Told,
): Omit<ExplainedRejection, 'execution'> | undefined {
  const x = orderedReads(w.x);
  const r = MODEL_TABLE[v.model].run(x, true);
  if (!r.failed) return undefined;
  const { axiom, rel } = r.failed;
  return {
    axiom: axiom.name,
    check: `${axiom.check} ${axiom.rel}`,
    cycle: axiomCycle(x.sk.test, x, axiom, rel, r.named, told.naming),
  };
}

function rejection(r: RejectedWitness, told: Told): ExplainedRejection {
  const { axiom, rel } = r.failed;
  return {
    axiom: axiom.name,
    check: `${axiom.check} ${axiom.rel}`,
    execution: told.execution,
    cycle: axiomCycle(r.x.sk.test, r.x, axiom, rel, r.named, told.naming),
  };
}

interface Told {
  execution: ExplainedExecution;
  naming: EventNaming;
}

/** One execution, its runs replayed for their call sites. */
function tell(s: Scenario, v: VariantVerdict, w: Witness): Told {
  const { x, runs } = w;
  const traced = runs.map((run, th) => replayWithSites(v, th, run));
  const file = (site: CallSite | undefined) => (site ? siteFile(s.file, site) : '?');
  const eventOf = (th: number, index: number) =>
    x.sk.events.find((e) => e.thread === th && e.poIndex === index)!;
  const siteOf = (e: Event) => traced[e.thread]?.sites[e.poIndex];
  const opOf = (e: Event) => runs[e.thread]?.replay.calls[e.poIndex]?.op ?? '?';
  const naming: EventNaming = {
    what: (e) => {
      if (e.dir === 'F') return `F ${opOf(e)}`;
      const loc = v.space.locations[e.loc]!.name;
      if (e.lock) return `${e.lock} ${loc}`;
      return `${e.dir} ${loc}=${valueText(v, e.loc, e.value)}`;
    },
    at: (e) => {
      if (e.thread < 0) return 'initial value';
      const site = siteOf(e);
      return site ? `${site.call}() at ${file(site)}:${site.line}` : `${opOf(e)}()`;
    },
    fence: (e) => opOf(e),
    thread: (t) => `P${t} ${s.threads[t]!.name}`,
  };
  const from = readSources(x, naming);
  const threads = traced.map((t, th): ExplainedThread => {
    const result = runs[th]!.replay.result;
    return {
      thread: th,
      name: s.threads[th]!.name,
      calls: t.calls.map((c) => ({
        call: c.site?.call ?? (c.events[0] !== undefined ? opOf(eventOf(th, c.events[0])) : '?'),
        file: file(c.site),
        line: c.site?.line ?? 0,
        col: c.site?.col ?? 0,
        events: c.events.map((i) => {
          const e = eventOf(th, i);
          const source = from.get(e.id);
          return { id: e.id, text: naming.what(e), ...(source && { from: source }) };
        }),
        answers: c.answers,
      })),
      returned: result.results,
      observed: result.observed,
    };
  });
  return {
    naming,
    execution: { threads, coherence: coherence(x, v, naming), finals: finals(x, v) },
  };
}

/** Each read's source, by the read's event number: the write's thread and call. */
function readSources(x: Execution, naming: EventNaming): Map<number, string> {
  const out = new Map<number, string>();
  for (const [w, r] of x.rf.pairs()) {
    const e = x.sk.events[w]!;
    out.set(r, e.thread < 0 ? 'the initial value' : `${naming.thread(e.thread)}'s ${naming.at(e)}`);
  }
  return out;
}

function coherence(x: Execution, v: VariantVerdict, naming: EventNaming): string[] {
  return x.coOrder.flatMap((order, l) => {
    const loc = v.space.locations[l]!;
    if (order.length < 3 || loc.type === 'spinlock') return [];
    const writes = order.map((w) => {
      const e = x.sk.events[w]!;
      const value = valueText(v, l, e.value);
      return e.thread < 0
        ? `${value} (initial)`
        : `${value} by ${naming.thread(e.thread)}'s ${naming.at(e)}`;
    });
    return [`${loc.name}: ${writes.join(' < ')}`];
  });
}

function finals(x: Execution, v: VariantVerdict): string[] {
  const values = finalValues(x);
  return v.space.locations.flatMap((loc, l) =>
    loc.type === 'spinlock' ? [] : [`${loc.name}=${valueText(v, l, values[l]!)}`],
  );
}

/** A value as the scenario wrote it: a u64 accessed whole in hex, a 32-bit word as a number. */
function valueText(v: VariantVerdict, loc: number, value: Value): string {
  if (!v.space.isWide(loc)) return String(value);
  const big = v.space.unwide(value);
  return big < 0n ? `-0x${(-big).toString(16)}` : `0x${big.toString(16)}`;
}

/** A thread's calls, in order: the events each made (by trace index) and the answers it got. */
interface ThreadSites {
  /** Each event's call site, by trace index. */
  sites: (CallSite | undefined)[];
  calls: { site?: CallSite; events: number[]; answers: string[] }[];
}

/** What the replay heard, in order. */
type Heard =
  | { kind: 'event'; index: number; at?: { site: CallSite; path: string } }
  | { kind: 'answer'; text: string; at?: { site: CallSite; path: string } }
  | { kind: 'pass'; at?: { site: CallSite; path: string } };

/** What the explorer's answers to its questions without an event mean (src/memory/explore.ts, kernel/sched.ts). */
const ANSWERS: Record<string, readonly string[]> = {
  need_resched: ['no', 'yes'],
  spin_trylock: ['took the lock', 'failed'],
  spin_is_contended: ['yes', 'no'],
  // the gap since the CPU's previous read (src/explore/clock.ts)
  ktime_get_ns: ['a moment later (1 ns)', 'an hour later'],
  kthread_should_stop: ['no', 'yes (kthread_stop())'],
};

/** Replay one thread's run with its answers, the stack asked at every event and question. */
function replayWithSites(v: VariantVerdict, th: number, run: Finished<ScenarioRun>): ThreadSites {
  const heard: Heard[] = [];
  // Every method named (a replay's Tracer is a class: its methods are not own properties).
  const listening = (t: Tracer): Tracer => ({
    loc: (cell) => t.loc(cell),
    loc64: (j) => t.loc64(j),
    value: (loc) => t.value(loc),
    held: (loc) => t.held(loc),
    pair: (r, w, data) => t.pair(r, w, data),
    lock: (loc, attempt) => t.lock(loc, attempt),
    wide: (v) => t.wide(v),
    unwide: (id) => t.unwide(id),
    emit: (e: TracedEvent) => {
      const index = t.emit(e);
      heard.push({ kind: 'event', index, at: callSiteWithPath(e.op) });
      return index;
    },
    choose: (n, what) => {
      const a = t.choose(n, what);
      const text = `${what}: ${ANSWERS[what]?.[a] ?? `answer ${a}`}`;
      heard.push({ kind: 'answer', text, at: callSiteWithPath(what) });
      return a;
    },
    pass: (what, pure) => {
      heard.push({ kind: 'pass', at: callSiteWithPath(what) });
      t.pass(what, pure);
    },
  });
  const r = replay((t) => v.program.run(th, listening(t)), run.answers, {
    thread: th,
    space: v.program.space,
    loopBound: Number.MAX_SAFE_INTEGER,
  });
  if (r.kind !== 'done')
    throw new Error(`internal: replaying thread ${th} of a witness ended as '${r.kind}'`);
  return groupCalls(heard);
}

/**
 * Calls from what the replay heard: a new call starts at another call site, or at the same
 * site when the stack inside the kernel API is where it was at the previous event with no
 * loop pass between (the scenario called the same primitive again).
 */
function groupCalls(heard: Heard[]): ThreadSites {
  const sites: (CallSite | undefined)[] = [];
  const calls: ThreadSites['calls'] = [];
  let current: ThreadSites['calls'][number] | undefined;
  let key = '';
  let lastPath = '';
  let passed = false;
  for (const h of heard) {
    const k = h.at ? siteKey(h.at.site) : '';
    if (h.kind === 'pass') {
      if (k === key) passed = true;
      continue;
    }
    const path = h.at?.path ?? '';
    if (!current || k !== key || (path === lastPath && !passed)) {
      current = { ...(h.at && { site: h.at.site }), events: [], answers: [] };
      calls.push(current);
      key = k;
    }
    lastPath = path;
    passed = false;
    if (h.kind === 'event') {
      current.events.push(h.index);
      sites[h.index] = h.at?.site;
    } else current.answers.push(h.text);
  }
  return { sites, calls };
}
