// --explain as a picture: the witness execution, or the first forbidden execution reaching the
// condition with the cycle that breaks the axiom, as a graph of events and labelled edges —
// herd7's execution diagrams: a column of events per thread in program order, po edges (with
// the fence between two events named on the edge), rf, co and fr, and for a forbidden
// execution the steps of the cycle named as explain-cycle.ts names them.
//
// This module builds data only; src/report draws it (DOT, then SVG).

import type { Test } from '../../litmus/ir.ts';
import { modelOf } from '../check/check.ts';
import type { Model } from '../core/base.ts';
import type { Event, Execution } from '../core/execution.ts';
import type { ModelChoice } from '../models/registry.ts';
import { type EventNaming, litmusNaming } from './describe.ts';
import { type Explanation, findExplanation, type Rejected } from './explain.ts';
import { cycleSteps } from './explain-cycle.ts';

export type EdgeKind = 'po' | 'rf' | 'co' | 'fr' | 'cycle';

export interface GraphNode {
  id: number;
  /** -1: an initial write. */
  thread: number;
  /** `W x=1`, `R y=0`, `LKW s`. */
  label: string;
  /** The instruction behind it: `WRITE_ONCE at 6:2`. */
  at: string;
}

export interface GraphEdge {
  from: number;
  to: number;
  kind: EdgeKind;
  label: string;
}

export interface ExecutionGraph {
  test: string;
  /** sc, tso, lkmm, or a model read from files. */
  model: string;
  /** witness: the condition is reachable; forbidden: the model rejects an execution reaching it. */
  verdict: 'witness' | 'forbidden' | 'unreached';
  /** The axiom that forbids it (forbidden only). */
  axiom?: string;
  threads: number[];
  /** The threads' names, where they have more than a number (a scenario's `writer`, `reader`). */
  threadNames?: string[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The picture of --explain: of `found`, the search --explain's text tells too (explain.ts). */
export function explainGraph(
  test: Test,
  model: ModelChoice | Model,
  found: Explanation = findExplanation(test, model),
): ExecutionGraph {
  const head = {
    test: test.name,
    model: modelOf(model).name,
    threads: test.threads.map((t) => t.id),
  };
  const naming = litmusNaming(test);
  if (found.witness) return executionGraph(head, found.witness, naming);
  const first = found.rejected[0];
  if (!first) return { ...head, verdict: 'unreached', nodes: [], edges: [] };
  return executionGraph(head, first.x, naming, first);
}

/** What a graph says of itself: the test (or scenario), the model and the threads' columns. */
export type GraphHead = Pick<ExecutionGraph, 'test' | 'model' | 'threads' | 'threadNames'>;

/**
 * The graph of one execution: a witness, or, given the axiom it fails, a forbidden one with
 * the steps of its cycle.
 */
export function executionGraph(
  head: GraphHead,
  x: Execution,
  naming: EventNaming,
  failed?: Pick<Rejected, 'axiom' | 'rel' | 'named'>,
): ExecutionGraph {
  const parts = executionParts(x, head.threads, naming);
  if (!failed) return { ...head, verdict: 'witness', ...parts };
  const steps = cycleSteps(x, failed.axiom, failed.rel, failed.named, naming);
  const cycle: GraphEdge[] = !steps
    ? []
    : Array.isArray(steps)
      ? steps.map(([from, to, label]) => ({ from, to, kind: 'cycle' as const, label }))
      : [{ from: steps.a, to: steps.c, kind: 'cycle', label: failed.axiom.name }];
  return {
    ...head,
    verdict: 'forbidden',
    axiom: failed.axiom.name,
    nodes: withNodes(x, parts.nodes, cycle, naming),
    edges: [...parts.edges, ...cycle],
  };
}

/** The events of an execution (fences become labels of po edges) and its po, rf, co and fr. */
function executionParts(
  x: Execution,
  threads: readonly number[],
  naming: EventNaming,
): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const events = x.sk.events;
  const edges: GraphEdge[] = [];
  const memory = events.filter((e) => e.thread >= 0 && e.dir !== 'F');
  for (const t of threads) {
    const mine = events.filter((e) => e.thread === t).sort((a, b) => a.poIndex - b.poIndex);
    let prev: Event | undefined;
    let fences: string[] = [];
    for (const e of mine) {
      if (e.dir === 'F') {
        fences.push(naming.fence(e));
        continue;
      }
      if (prev)
        edges.push({ from: prev.id, to: e.id, kind: 'po', label: ['po', ...fences].join(' ') });
      prev = e;
      fences = [];
    }
  }
  for (const [w, r] of x.rf.pairs()) edges.push({ from: w, to: r, kind: 'rf', label: 'rf' });
  for (const order of x.coOrder) {
    for (let i = 1; i < order.length; i++)
      edges.push({ from: order[i - 1]!, to: order[i]!, kind: 'co', label: 'co' });
  }
  // fr to the write just after the one read from, in co: herd's pictures draw the reduction.
  for (const [w, r] of x.rf.pairs()) {
    const order = x.coOrder.find((o) => o.includes(w));
    const next = order?.[order.indexOf(w) + 1];
    if (next !== undefined) edges.push({ from: r, to: next, kind: 'fr', label: 'fr' });
  }
  return {
    nodes: withNodes(
      x,
      memory.map((e) => node(naming, e)),
      edges,
      naming,
    ),
    edges,
  };
}

/** `nodes` plus every event an edge names that is not among them (initial writes, fences). */
function withNodes(
  x: Execution,
  nodes: GraphNode[],
  edges: GraphEdge[],
  naming: EventNaming,
): GraphNode[] {
  const have = new Set(nodes.map((n) => n.id));
  const more = [...new Set(edges.flatMap((e) => [e.from, e.to]))].filter((id) => !have.has(id));
  return [...nodes, ...more.map((id) => node(naming, x.sk.events[id]!))];
}

function node(naming: EventNaming, e: Event): GraphNode {
  return { id: e.id, thread: e.thread, label: naming.what(e), at: naming.at(e) };
}
