// The values each location may hold: what a read may return when the thread traces are
// enumerated (events.ts).
//
// Start from the init values; run every thread with reads returning values already known and
// both sides of every branch taken (herd7 explores both sides of a conditional before it
// solves values, so a write guarded by a condition still contributes its value); add what the
// writes store; repeat until nothing new appears. Each value carries its ancestry — the write
// instructions it derives from — and a write whose value would derive from itself is dropped:
// in an execution every value comes from a chain of distinct writes (no value from thin air),
// so this keeps `r = READ_ONCE(*x); WRITE_ONCE(*x, r + 1)` from counting up for ever, and
// keeps the domains as small as the executions need. A successful cmpxchg's read (a failed
// add_unless's) adds the value it compares with: herd7 equates them, so that value may be read
// even where only a cycle through the rmw writes it (atomic.ts).

import type { Instr, Test, Value } from '../../litmus/ir.ts';
import type { DomainEntry, EventSpec, Trace, ValueDomains } from '../core/events.ts';
import { initialState } from './thread-state.ts';
import { exec } from './trace.ts';

/** A backstop on the rounds; the ancestry already makes the iteration finite. */
const MAX_ROUNDS = 64;

export function valueDomains(test: Test, tick: () => void): ValueDomains {
  const writeIds = new Map<Instr, number>();
  const number = (body: Instr[]): void => {
    for (const i of body) {
      if (i.kind === 'store' || i.kind === 'rmw') writeIds.set(i, writeIds.size);
      else if (i.kind === 'branch') {
        number(i.then);
        number(i.else);
      }
    }
  };
  for (const t of test.threads) number(t.body);
  const entries: DomainEntry[][] = test.locations.map((l) => [{ value: l.init, ancestry: 0n }]);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let grew = false;
    const snapshot = entries.map((list) => list.slice());
    for (const thread of test.threads) {
      // Each trace is read as it ends and dropped: a long thread has too many to keep.
      const out = {
        push: (trace: Trace): void => {
          for (const e of trace.events) {
            if ((e.dir !== 'W' && !equatesRead(e)) || e.lock || e.ancestry === 'cyclic') continue;
            if (addEntry(entries[e.loc]!, e.value, e.ancestry ?? 0n)) grew = true;
          }
        },
      };
      const provenance = { entries: snapshot, writeIds };
      exec(
        { test, domains: [], provenance, allPaths: true, out, tick },
        thread.body,
        0,
        initialState(thread),
      );
    }
    if (!grew) break;
  }
  return entries.map((list) => [...new Set(list.map((e) => e.value))].sort((a, b) => a - b));
}

/**
 * The read of a successful cmpxchg or a failed add_unless: herd7 equates its value with the
 * one the rmw compares with, so the location may hold that value (atomic.ts readChoices).
 */
function equatesRead(e: EventSpec): boolean {
  const i = e.instr;
  if (e.dir !== 'R' || i.kind !== 'rmw') return false;
  return i.op === 'cmpxchg' ? e.rmw === 'pair' : i.op === 'add_unless' && e.rmw === 'failed';
}

/** Add (value, ancestry) unless an entry of that value has an ancestry contained in it. */
function addEntry(list: DomainEntry[], value: Value, ancestry: bigint): boolean {
  for (const e of list)
    if (e.value === value && (e.ancestry! & ancestry) === e.ancestry) return false;
  for (let i = list.length - 1; i >= 0; i--) {
    const e = list[i]!;
    if (e.value === value && (e.ancestry! & ancestry) === ancestry) list.splice(i, 1);
  }
  list.push({ value, ancestry });
  return true;
}
