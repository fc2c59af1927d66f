// The Skeleton of one combination of thread traces: its events numbered (the initial writes
// first, then thread by thread) and its Shape (program order, same-location, same-thread and
// the dependency relations), shared by every combination whose traces differ only in values.
// This module chooses no rf or co.

import type { Test, Value } from '../../litmus/ir.ts';
import type { LocalPair, Trace } from '../core/events.ts';
import type { Event, Shape, Skeleton } from '../core/execution.ts';
import { markStable, Relation } from '../core/relation.ts';

/** A backstop on the shapes kept at once: past it the cache starts again. */
const MAX_SHAPES = 4096;

/** Skeletons of trace combinations, their shapes shared (see Shape). */
export class ShapeCache {
  private readonly shapes = new Map<string, Shape>();
  private readonly keys = new WeakMap<Trace, string>();
  private readonly numbered = new WeakMap<Trace, Map<number, Event[]>>();
  private readonly initial: Event[];

  constructor(
    private readonly test: Test,
    private readonly spin: boolean[],
    /** Looked at while a large shape is built (its relations are quadratic in the events). */
    private readonly poll: () => void,
  ) {
    this.initial = test.locations.map((l, i) => initialWrite(i, l.init));
  }

  skeleton(traces: Trace[]): Skeleton {
    const key = traces.map((t) => this.keyOf(t)).join('|');
    let shape = this.shapes.get(key);
    if (!shape) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      shape = buildShape(this.test, this.spin, traces, this.poll);
      this.shapes.set(key, shape);
    }
    const events: Event[] = this.initial.slice();
    for (const t of traces) events.push(...this.eventsOf(t, events.length));
    return { ...shape, test: this.test, events, traces };
  }

  /** A trace's events numbered from `from`, made once per trace and position (never mutated). */
  private eventsOf(t: Trace, from: number): Event[] {
    let byStart = this.numbered.get(t);
    if (!byStart) {
      byStart = new Map();
      this.numbered.set(t, byStart);
    }
    let list = byStart.get(from);
    if (!list) {
      list = t.events.map((e, i) => ({ ...e, id: from + i, thread: t.thread, poIndex: i }));
      byStart.set(from, list);
    }
    return list;
  }

  /** Everything of a trace but the values its events read and wrote. */
  private keyOf(t: Trace): string {
    let key = this.keys.get(t);
    if (key === undefined) {
      const ev = t.events.map(
        (e) =>
          `${e.dir}${e.loc}.${e.annot}.${e.lock ?? ''}.${e.rmw ?? ''}.${e.srcu ?? ''}.${e.gp ?? ''}`,
      );
      const pairs = [t.addr, t.data, t.ctrl, t.rmw].map((ps) => ps.map(([a, b]) => `${a}>${b}`));
      key = `${t.thread}:${ev.join(',')};${pairs.map((p) => p.join(',')).join(';')}`;
      this.keys.set(t, key);
    }
    return key;
  }
}

function initialWrite(loc: number, value: Value): Event {
  return {
    id: loc,
    thread: -1,
    poIndex: 0,
    dir: 'W',
    loc,
    value,
    annot: 'once',
    instr: { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } },
  };
}

function buildShape(test: Test, spin: boolean[], traces: Trace[], poll: () => void): Shape {
  const base: number[] = [];
  const thread: number[] = test.locations.map(() => -1);
  const locOf: number[] = test.locations.map((_, i) => i);
  for (const [ti, t] of traces.entries()) {
    base.push(thread.length);
    for (const e of t.events) {
      thread.push(ti);
      locOf.push(e.loc);
    }
  }
  const n = thread.length;
  const byLoc: number[][] = test.locations.map(() => []);
  for (let id = 0; id < n; id++) if (locOf[id]! >= 0) byLoc[locOf[id]!]!.push(id);
  const local = (pairs: (t: Trace) => LocalPair[]) => {
    const r = Relation.none(n);
    traces.forEach((t, ti) => {
      for (const [a, b] of pairs(t)) r.add(base[ti]! + a, base[ti]! + b);
    });
    return r;
  };
  const po = Relation.none(n);
  const int = Relation.none(n);
  const ext = Relation.none(n);
  for (let a = 0; a < n; a++) {
    if ((a & 63) === 0) poll();
    for (let b = 0; b < n; b++) {
      const same = a === b || (thread[a]! >= 0 && thread[a] === thread[b]);
      if (same) int.add(a, b);
      else ext.add(a, b);
      if (same && a < b) po.add(a, b);
    }
  }
  const loc = Relation.none(n);
  for (const ids of byLoc)
    for (const a of ids) {
      if ((a & 63) === 0) poll();
      for (const b of ids) loc.add(a, b);
    }
  return {
    n,
    init: test.locations.map((_, i) => i),
    byLoc,
    ...markStable({
      po,
      loc,
      int,
      ext,
      addr: local((t) => t.addr),
      data: local((t) => t.data),
      ctrl: local((t) => t.ctrl),
      rmw: local((t) => t.rmw),
    }),
    spin,
    memo: new Map(),
  };
}
