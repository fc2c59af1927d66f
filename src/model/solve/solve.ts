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
import { constant, substitute, type Term } from './terms.ts';
import { undetermined } from './undetermined.ts';

/** A final state's lookup as herd7 has it, or undefined where herd7 has no such execution. */
export type HerdLookup = ((k: StateKey) => Value) | undefined;

export class HerdValues {
  private readonly thinAir: boolean;
  private domains: ValueDomains | undefined;

  constructor(
    private readonly test: Test,
    /** The value domains the executions' reads took their values from (computed when first needed). */
    private readonly domainsOf: () => ValueDomains,
  ) {
    this.thinAir = thinAirReads(test).reads.size > 0;
  }

  /**
   * herd7's final state of `x`: `concrete` (the execution's own values) when every value is
   * determined; undefined when herd7 drops it or counts it under another instance.
   */
  lookup(x: Execution, concrete: (k: StateKey) => Value, keys: StateKey[]): HerdLookup {
    if (!this.thinAir || undetermined(x).length === 0) return concrete;
    return this.solve(x, keys);
  }

  private solve(x: Execution, keys: StateKey[]): HerdLookup {
    const test = this.test;
    const sk = x.sk;
    const terms: ThreadTerms[] = [];
    let base = test.locations.length;
    for (const t of sk.traces) {
      terms.push(replayThread(test, test.threads[t.thread]!, t, base));
      base += t.events.length;
    }
    // An initial write stores a constant; a lock event carries no value (0, as finalValues).
    const written = (w: number): Term => {
      const e = sk.events[w]!;
      if (e.thread < 0 || e.lock !== undefined) return constant(e.lock === undefined ? e.value : 0);
      return terms[e.thread]!.writes.get(w)!;
    };
    const equations: [number, Term][] = terms.flatMap((t) => t.equal);
    for (const [w, r] of readsFrom(x)) equations.push([r, written(w)]);
    const classes = new Classes();
    for (const [r, t] of equations) {
      classes.ids.add(r);
      if (t.kind === 'var') classes.union(r, t.id);
    }
    const solved = classes.propagate(equations);
    if (!solved) return undefined;
    const pending = terms.flatMap((t) => t.pending);
    if (pending.some((t) => classes.value(t).kind !== 'const')) return undefined;
    if (equations.some(([, t]) => t.kind !== 'var' && classes.value(t).kind !== 'const'))
      return undefined;
    if (!this.canonical(x, classes)) return undefined;
    return this.symbolicLookup(x, terms, written, classes, keys);
  }

  /** Whether each symbol of `x` holds the least value all its reads could return. */
  private canonical(x: Execution, classes: Classes): boolean {
    this.domains ??= this.domainsOf();
    const members = classes.unsolved();
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
    terms: ThreadTerms[],
    written: (w: number) => Term,
    classes: Classes,
    keys: StateKey[],
  ): (k: StateKey) => Value {
    const finals = finalWrites(x);
    const numbers = new Map<number, number>();
    const symbolicOf = (k: StateKey): Value => {
      const t =
        k.kind === 'loc'
          ? written(finals[this.test.locations.findIndex((l) => l.name === k.loc)]!)
          : (terms[k.thread]?.regs.get(k.reg) ?? constant(0));
      const v = classes.value(t);
      if (v.kind === 'const') return v.value;
      if (v.kind !== 'var')
        throw new Error('internal: an unsolved operation reached a final state');
      if (!numbers.has(v.id)) numbers.set(v.id, numbers.size + 1);
      return symbolicValue(numbers.get(v.id)!);
    };
    const known = new Map(keys.map((k) => [stateKeyName(k), symbolicOf(k)]));
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
 * Classes of variables made equal by `x := y` equations (herd7's union-find), and the
 * constant each class is solved to.
 */
class Classes {
  private readonly parent = new Map<number, number>();
  private readonly solved = new Map<number, Value>();

  find(id: number): number {
    let p = this.parent.get(id) ?? id;
    if (p === id) return id;
    p = this.find(p);
    this.parent.set(id, p);
    return p;
  }

  union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(ra, rb);
  }

  /** A term with its variables replaced by their class's constant or representative. */
  value(t: Term): Term {
    return substitute(t, (id) => {
      const rep = this.find(id);
      const c = this.solved.get(rep);
      return c === undefined ? { kind: 'var', id: rep } : constant(c);
    });
  }

  /** Solve `x := term` equations until nothing new; false on a contradiction. */
  propagate(equations: [number, Term][]): boolean {
    for (let grew = true; grew; ) {
      grew = false;
      for (const [r, t] of equations) {
        const v = this.value(t);
        if (v.kind !== 'const') continue;
        const rep = this.find(r);
        const had = this.solved.get(rep);
        if (had === undefined) {
          this.solved.set(rep, v.value);
          grew = true;
        } else if (had !== v.value) return false;
      }
    }
    return true;
  }

  /** The variables of each class left without a constant, by representative. */
  unsolved(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const id of this.ids) {
      const rep = this.find(id);
      if (this.solved.has(rep)) continue;
      const list = out.get(rep) ?? [];
      list.push(id);
      out.set(rep, list);
    }
    return out;
  }

  /** Every variable met. */
  readonly ids = new Set<number>();
}
