// What herd7 gives a cat model about one candidate execution, by the names herd7 gives it
// (herd/machModelChecker.ml for C tests): the event sets M, R, W, IW, FW, F and the lock and
// rmw classes (LKR, LKW, UL, LF, RL, RU, RMW), one set per annotation the bell declares
// (`'ONCE` → ONCE, `'rcu-lock` → Rcu-lock); the relations po, loc, int, ext, addr, data, ctrl,
// rmw, id, and rf — the reads-from of ordinary reads only: lock.cat builds the locks' rf, and
// a model builds co itself (`with co from ...`).
//
// Event kinds as herd7 has them: lock events and synchronize_srcu() are neither memory events
// nor fences; an initial write belongs to no thread (it is in neither int nor po). What a shape
// alone fixes is computed once per shape (execution.ts's memo, stable for relation.ts's cache).

import type { Event, Skeleton } from '../core/execution.ts';
import { memo } from '../core/execution.ts';
import { cross, diff, EventSet, Relation, toid } from '../core/relation.ts';
import { type Tags, tagOf } from './macros.ts';

/** herd7's name for the set of events carrying an annotation: its first letter capitalised. */
export const annotationSet = (tag: string): string => tag.charAt(0).toUpperCase() + tag.slice(1);

/** A candidate as herd7 hands it to a cat model: the events, rf of ordinary reads, the final writes. */
export interface PreExecution {
  sk: Skeleton;
  rf: Relation;
  /** FW: the write each observed location ends with. */
  fw: EventSet;
}

/** A memory access (herd7's M): neither a fence, nor a lock event, nor synchronize_srcu(). */
export const isMemory = (e: Event): boolean => e.dir !== 'F' && e.lock === undefined;

/** The location an event touches, synchronize_srcu() its srcu_struct's; undefined for fences. */
export const locationOf = (e: Event): number | undefined =>
  e.srcu ?? (e.loc >= 0 ? e.loc : undefined);

type Make = (x: PreExecution) => EventSet | Relation;

/** Event sets fixed by the shape, by herd7's name. */
const SHAPE_SETS: Record<string, (e: Event) => boolean> = {
  M: isMemory,
  R: (e) => isMemory(e) && e.dir === 'R',
  W: (e) => isMemory(e) && e.dir === 'W',
  IW: (e) => e.thread < 0,
  F: (e) => e.dir === 'F' && e.srcu === undefined && e.annot !== 'sync-srcu',
  Exp: isMemory,
  EXEC: isMemory,
  NExp: () => false,
  SPEC: () => false,
  AMO: () => false,
  SPURIOUS: () => false,
  B: () => false,
  BCC: () => false,
  PRED: () => false,
  Rreg: () => false,
  Wreg: () => false,
  DATA: () => false,
  NDATA: () => true,
  RMW: (e) => e.rmw !== undefined,
  LK: (e) => e.lock === 'LKR' || e.lock === 'LKW',
  LKR: (e) => e.lock === 'LKR',
  LKW: (e) => e.lock === 'LKW',
  LS: () => false,
  LF: (e) => e.lock === 'LF',
  UL: (e) => e.lock === 'UL',
  RL: (e) => e.lock === 'RL',
  RU: (e) => e.lock === 'RU',
  ACQ: () => false,
  SC: () => false,
  REL: () => false,
  ACQ_REL: () => false,
  RLX: () => false,
  CON: () => false,
  A: () => false,
  NA: () => true,
};

/** Relations fixed by the shape, by herd7's name (from the shape's own where they agree). */
const SHAPE_RELATIONS: Record<string, (sk: Skeleton) => Relation> = {
  po: (sk) => sk.po,
  partial_po: (sk) => sk.po,
  addr: (sk) => sk.addr,
  data: (sk) => sk.data,
  ctrl: (sk) => sk.ctrl,
  rmw: (sk) => sk.rmw,
  amo: (sk) => sk.rmw,
  id: (sk) => toid(EventSet.where(sk.n, () => true)),
  // The shape's loc leaves synchronize_srcu() out; herd7 puts it at its srcu_struct.
  loc: (sk) =>
    sk.events.some((e) => e.srcu !== undefined)
      ? pairsWhere(sk, (a, b) => locationOf(a) !== undefined && locationOf(a) === locationOf(b))
      : sk.loc,
  // The initial writes are in no thread: not in int, and not ext among themselves.
  int: (sk) => diff(sk.int, toid(initialWrites(sk))),
  ext: (sk) => diff(sk.ext, cross(initialWrites(sk), initialWrites(sk))),
  sm: (sk) => toid(EventSet.where(sk.n, (i) => isMemory(sk.events[i]!))),
  si: (sk) => toid(EventSet.where(sk.n, (i) => isMemory(sk.events[i]!))),
  'same-instance': (sk) =>
    pairsWhere(sk, (a, b) => a.thread >= 0 && a.thread === b.thread && a.instr === b.instr),
};

const initialWrites = (sk: Skeleton): EventSet => EventSet.of(sk.n, sk.init);

function pairsWhere(sk: Skeleton, pred: (a: Event, b: Event) => boolean): Relation {
  return Relation.where(sk.n, (a, b) => pred(sk.events[a]!, sk.events[b]!));
}

/**
 * The primitive sets and relations of a model whose bell declares these annotations, events
 * tagged as `tags` says (macros.ts: a .def's tags, or linux-kernel.def's).
 */
export function environment(annotations: readonly string[], tags: Tags): Map<string, Make> {
  const env = new Map<string, Make>();
  // Models with other tags keep their sets apart in the shape's memo.
  const tagsKey = JSON.stringify([...tags]);
  for (const [name, pred] of Object.entries(SHAPE_SETS))
    env.set(name, ({ sk }) =>
      memo(sk, `cat-set:${name}`, () => EventSet.where(sk.n, (i) => pred(sk.events[i]!))),
    );
  for (const [name, make] of Object.entries(SHAPE_RELATIONS))
    env.set(name, ({ sk }) => memo(sk, `cat-rel:${name}`, () => make(sk)));
  const tagged = (sk: Skeleton, want: (tag: string | undefined) => boolean) =>
    EventSet.where(sk.n, (i) => want(tagOf(sk.events[i]!, tags)));
  env.set('annot', ({ sk }) =>
    memo(sk, `cat-annot:${tagsKey}`, () => tagged(sk, (t) => t !== undefined)),
  );
  for (const tag of annotations) {
    env.set(annotationSet(tag), ({ sk }) =>
      memo(sk, `cat-annot:${tag}:${tagsKey}`, () => tagged(sk, (t) => t === tag)),
    );
  }
  env.set('rf', (x) => x.rf);
  env.set('FW', (x) => x.fw);
  env.set('pco', (x) => pco(x));
  return env;
}

/** herd7's pco: initial writes before the others of their location, every write before FW. */
function pco(x: PreExecution): Relation {
  const { sk } = x;
  const r = Relation.none(sk.n);
  for (const ids of sk.byLoc) {
    const writes = ids.filter((id) => isMemory(sk.events[id]!) && sk.events[id]!.dir === 'W');
    for (const a of writes)
      for (const b of writes) {
        if (a === b) continue;
        if (sk.events[a]!.thread < 0 || x.fw.has(b)) r.add(a, b);
      }
  }
  return r;
}
