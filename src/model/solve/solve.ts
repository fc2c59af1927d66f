// herd7's values for an execution the enumeration built with concrete ones.
//
// herd7 does not choose values: a read is a variable, reads-from makes it equal to the value
// its write stores, and a solver (herdtools7's valconstraint.ml, called from mem.ml) works
// the values out. Where a cycle of reads-from and data leaves a value that nothing determines
// (thin air: `r0 = *x; WRITE_ONCE(*y, r0)` against `r1 = READ_ONCE(*y); WRITE_ONCE(*x, r1)`
// reading each other), herd7 either keeps it as a symbol, printed `S8` in the final state and
// equal to nothing but itself in the condition, when the value is only copied; or drops the
// execution ("remaining equations") when an operation, a branch, an address or a cmpxchg
// needs it. The enumeration here instead gives such a read every value of its domain, one
// execution per value. So, for an execution the model accepts:
//
// - every read determined (the common case, and every read of most tests: static.ts): the
//   values are herd7's; nothing changes;
// - an operation left on an undetermined value: herd7 has no such execution; it is dropped;
// - undetermined values only copied: herd7 has one execution where the enumeration has one per
//   value the symbol could take. The one whose symbols each hold the least value every read
//   of the symbol could return (each read takes every value of its location's domain, and
//   nothing else depends on the symbol's value, so that one is always enumerated) stands for
//   them, its symbols printed as symbols; the others are dropped.
//
// This module decides nothing about a model's axioms; check/tally.ts asks it about each
// accepted execution.

import {
  observedKeys,
  type StateKey,
  stateKeyName,
  symbolicValue,
  type Test,
  type Value,
} from '../../litmus/ir.ts';
import type { ValueDomains } from '../core/events.ts';
import { type Execution, finalWrites } from '../core/execution.ts';
import { replayThread, type ThreadTerms } from './replay.ts';
import { thinAirReads } from './static.ts';
import { type Atom, compute, constant, type Operation, substitute } from './terms.ts';
import { undetermined } from './undetermined.ts';

/** A final state's lookup as herd7 has it, or undefined where herd7 has no such execution. */
type HerdLookup = ((k: StateKey) => Value) | undefined;

export class HerdValues {
  private readonly thinAir: boolean;
  /** The final state's keys, in the order that numbers the symbols. */
  private readonly keys: StateKey[];
  private domains: ValueDomains | undefined;

  constructor(
    private readonly test: Test,
    /** The value domains the executions' reads took their values from (computed when first needed). */
    private readonly domainsOf: () => ValueDomains,
  ) {
    this.thinAir = thinAirReads(test).reads.size > 0;
    this.keys = observedKeys(test);
  }

  /**
   * herd7's final state of `x`: `concrete` (the execution's own values) when every value is
   * determined; undefined when herd7 drops it or counts it under another instance.
   */
  lookup(x: Execution, concrete: (k: StateKey) => Value): HerdLookup {
    if (!this.thinAir || undetermined(x).length === 0) return concrete;
    return this.solve(x);
  }

  private solve(x: Execution): HerdLookup {
    const test = this.test;
    const sk = x.sk;
    const fresh = { next: sk.events.length };
    const threads: ThreadTerms[] = [];
    let base = test.locations.length;
    for (const t of sk.traces) {
      threads.push(replayThread(test, test.threads[t.thread]!, t, base, fresh));
      base += t.events.length;
    }
    // An initial write stores a constant; a lock event carries no value (0, as finalValues).
    const written = (w: number): Atom => {
      const e = sk.events[w]!;
      if (e.thread < 0 || e.lock !== undefined) return constant(e.lock === undefined ? e.value : 0);
      return threads[e.thread]!.writes.get(w)!;
    };
    const equal: [Atom, Atom][] = threads.flatMap((t) => t.equal);
    for (const [w, r] of readsFrom(x)) equal.push([{ kind: 'var', id: r }, written(w)]);
    const defs = threads.flatMap((t) => t.defs);
    const classes = new Classes();
    if (!classes.solve(equal, defs)) return undefined;
    // What herd7 leaves unsolved drops the execution: an operation on an unknown value, an
    // address nothing determines.
    if (defs.some(([, o]) => classes.computed(o)?.kind !== 'const')) return undefined;
    if (threads.some((t) => t.addresses.some((a) => classes.atom(a).kind !== 'const')))
      return undefined;
    if (!this.canonical(x, classes)) return undefined;
    return this.symbolicLookup(x, threads, written, classes);
  }

  /** Whether each symbol of `x` holds the least value all its reads could return. */
  private canonical(x: Execution, classes: Classes): boolean {
    this.domains ??= this.domainsOf();
    // A read's variable is its event id; an operation's comes after them (replay.ts's Fresh).
    const members = classes.unsolved((id) => id < x.sk.events.length);
    for (const ids of members.values()) {
      let common: Set<Value> | undefined;
      for (const id of ids) {
        const dom = this.domains[x.sk.events[id]!.loc]!;
        common = new Set(common ? dom.filter((v) => common!.has(v)) : dom);
      }
      const least = Math.min(...common!);
      if (ids.some((id) => x.sk.events[id]!.value !== least)) return false;
    }
    return true;
  }

  /** The final state, symbols numbered in the order the observed keys first show them. */
  private symbolicLookup(
    x: Execution,
    threads: ThreadTerms[],
    written: (w: number) => Atom,
    classes: Classes,
  ): (k: StateKey) => Value {
    const finals = finalWrites(x);
    const numbers = new Map<number, number>();
    const symbolicOf = (k: StateKey): Value => {
      const a =
        k.kind === 'loc'
          ? written(finals[this.test.locations.findIndex((l) => l.name === k.loc)]!)
          : (threads[k.thread]?.regs.get(k.reg) ?? constant(0));
      const v = classes.atom(a);
      if (v.kind === 'const') return v.value;
      if (!numbers.has(v.id)) numbers.set(v.id, numbers.size + 1);
      return symbolicValue(numbers.get(v.id)!);
    };
    const known = new Map(this.keys.map((k) => [stateKeyName(k), symbolicOf(k)]));
    return (k) => known.get(stateKeyName(k)) ?? symbolicOf(k);
  }
}

/** The [write, read] pairs of rf, lock events left out (they carry no value). */
function readsFrom(x: Execution): [number, number][] {
  const pairs: [number, number][] = [];
  for (const [w, r] of x.rf.pairs()) if (x.sk.events[r]!.lock === undefined) pairs.push([w, r]);
  return pairs;
}

/**
 * herd7's solving (valconstraint.ml): classes of variables made equal by `x := y` equations
 * (its union-find), then constants propagated through `x := c` and through the operations
 * until nothing new is solved.
 */
class Classes {
  private readonly parent = new Map<number, number>();
  private readonly solved = new Map<number, Value>();
  /** Every variable met. */
  private readonly vars = new Set<number>();

  find(id: number): number {
    const p = this.parent.get(id) ?? id;
    if (p === id) return id;
    const root = this.find(p);
    this.parent.set(id, root);
    return root;
  }

  /** A variable's constant, else its class's representative. */
  atom(a: Atom): Atom {
    if (a.kind === 'const') return a;
    const rep = this.find(a.id);
    const c = this.solved.get(rep);
    return c === undefined ? { kind: 'var', id: rep } : constant(c);
  }

  /**
   * What an operation comes to with what is solved so far (undefined: nothing yet). Two
   * variables herd7 equated only while solving do not count as one here (`x ^ y` stays an
   * operation): herd7's solver substitutes each variable by its parent in its union-find, not
   * always by its class's representative, and so leaves such an operation unsolved (seed 146 of
   * test/model/generate-thin-air.ts).
   */
  computed(o: Operation): Atom | undefined {
    return compute(
      substitute(o, (a) => this.atom(a)),
      false,
    );
  }

  /** Solve the equations; false on a contradiction (two constants for one class). */
  solve(equal: [Atom, Atom][], defs: [number, Operation][]): boolean {
    for (const [l, r] of equal) {
      for (const a of [l, r]) if (a.kind === 'var') this.vars.add(a.id);
      if (l.kind === 'var' && r.kind === 'var') this.union(l.id, r.id);
    }
    for (let grew = true; grew; ) {
      grew = false;
      for (const [l, r] of equal) {
        const [a, b] = [this.atom(l), this.atom(r)];
        if (a.kind === 'const' && b.kind === 'const') {
          if (a.value !== b.value) return false;
        } else if (a.kind === 'const' || b.kind === 'const') grew = this.set(a, b) || grew;
      }
      for (const [v, o] of defs) {
        const c = this.computed(o);
        if (c?.kind !== 'const') continue;
        const a = this.atom({ kind: 'var', id: v });
        if (a.kind === 'const' && a.value !== c.value) return false;
        if (a.kind === 'var') grew = this.set(a, c) || grew;
      }
    }
    return true;
  }

  /** The variables `isRead` picks of each class left without a constant, by representative. */
  unsolved(isRead: (id: number) => boolean): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const id of this.vars) {
      if (!isRead(id)) continue;
      const rep = this.find(id);
      if (this.solved.has(rep)) continue;
      out.set(rep, [...(out.get(rep) ?? []), id]);
    }
    return out;
  }

  private union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(ra, rb);
  }

  /** Solve the class of whichever of a, b is a variable to the other, a constant. */
  private set(a: Atom, b: Atom): boolean {
    const [v, c] = a.kind === 'var' ? [a, b] : [b, a];
    if (v.kind !== 'var' || c.kind !== 'const') return false;
    this.solved.set(v.id, c.value);
    return true;
  }
}
