// What every model starts from: the event sets herd7 provides (R, W, M, F, IW, the
// annotation sets) and the communication relations derived from rf and co (fr, and the
// internal/external parts), for one candidate execution. Also the shape of a model: a list
// of named axioms that run() checks in order.
//
// This module defines no model of its own.

import type { AccessAnnot, FenceAnnot, Test } from '../../litmus/ir.ts';
import { type Event, type Execution, type LocationChoices, memo } from './execution.ts';
import { converseSeq, EventSet, inter, type Relation, setUnion } from './relation.ts';

export const MODELS = ['sc', 'tso', 'lkmm'] as const;
export type ModelName = (typeof MODELS)[number];

/** A named constraint on an execution, as a cat file states it. */
export interface Axiom {
  name: string;
  check: 'acyclic' | 'irreflexive' | 'empty';
  /** The relation it constrains, by its cat name (--explain prints it). */
  rel: string;
}

/** A model's answer for one execution. */
export interface ModelResult {
  /** The first axiom that fails, with the relation it fails on; undefined when accepted. */
  failed?: { axiom: Axiom; rel: Relation };
  /**
   * How many accepted executions the candidate stands for: 1 (0 when failed) unless the model
   * completes candidates itself — a cat model's `with co from ...` makes one per choice.
   */
  executions?: number;
  /** The execution as the model completed it (a cat model's own co and rf), for --explain. */
  x?: Execution;
  /** herd7's flags raised by an accepted execution (data-race, ...). */
  flags: string[];
  /** Named relations of the model, kept for --explain when asked. */
  named?: Map<string, Relation>;
}

export interface Model {
  /** sc, tso, lkmm, or a model read from files (its cat file's name). */
  name: string;
  run(x: Execution, keep?: boolean): ModelResult;
  /**
   * How the candidates of a test choose reads-from and coherence, when not the default (the
   * coherent choices every built-in model requires): a cat model takes herd7's candidates.
   */
  choices?(test: Test): LocationChoices;
  /**
   * Whether a partial execution (prefix.ts: only edges every completion has) already breaks
   * an axiom that more edges cannot repair — acyclicity of a relation built from rf, co and
   * fr by union, sequence, closure and intersection or difference with fixed relations only.
   * True prunes every completion, so it must never reject what the full check would accept.
   */
  broken?(x: Execution): boolean;
}

/** herd7's basic sets and relations of one execution. */
export interface Base {
  x: Execution;
  n: number;
  R: EventSet;
  W: EventSet;
  M: EventSet;
  F: EventSet;
  IW: EventSet;
  po: Relation;
  poLoc: Relation;
  rf: Relation;
  co: Relation;
  fr: Relation;
  rfe: Relation;
  rfi: Relation;
  coe: Relation;
  coi: Relation;
  fre: Relation;
  fri: Relation;
  int: Relation;
  ext: Relation;
  loc: Relation;
  /** Events of one kind of fence. */
  fence: (annot: FenceAnnot) => EventSet;
  /** Memory events carrying an annotation. */
  access: (annot: AccessAnnot) => EventSet;
  /** Events satisfying a predicate. */
  where: (pred: (e: Event) => boolean) => EventSet;
}

export function base(x: Execution): Base {
  const sk = x.sk;
  const n = sk.n;
  const where = (pred: (e: Event) => boolean) => EventSet.where(n, (i) => pred(sk.events[i]!));
  // Event kinds, annotations and po-loc are the shape's: computed once per shape (execution.ts memo).
  const kinds = memo(sk, 'base', () => {
    const R = where((e) => e.dir === 'R');
    const W = where((e) => e.dir === 'W');
    return {
      R,
      W,
      M: setUnion(R, W),
      F: where((e) => e.dir === 'F'),
      IW: where((e) => e.thread < 0),
      poLoc: inter(sk.po, sk.loc),
    };
  });
  const fr = converseSeq(x.rf, x.co);
  return {
    x,
    n,
    ...kinds,
    po: sk.po,
    rf: x.rf,
    co: x.co,
    fr,
    rfe: inter(x.rf, sk.ext),
    rfi: inter(x.rf, sk.int),
    coe: inter(x.co, sk.ext),
    // Only --explain asks for these two: made when read.
    get coi() {
      return inter(x.co, sk.int);
    },
    fre: inter(fr, sk.ext),
    get fri() {
      return inter(fr, sk.int);
    },
    int: sk.int,
    ext: sk.ext,
    loc: sk.loc,
    fence: (annot) =>
      memo(sk, `fence:${annot}`, () => where((e) => e.dir === 'F' && e.annot === annot)),
    access: (annot) =>
      memo(sk, `access:${annot}`, () => where((e) => e.dir !== 'F' && e.annot === annot)),
    where,
  };
}
