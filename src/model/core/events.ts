// Events and the traces of one thread.
//
// A trace is one way a thread can run: the events it performs in program order, the values
// its reads returned, the registers it ends with, and the dependencies (addr, data, ctrl) that
// its register flow creates between its events. Reads take their value from a domain of
// values per location (valueDomains: the init value and every value some write may store,
// iterated to a fixpoint as herd7 does), and branches follow the values read. Lock
// primitives become the events of the kernel's lock.cat: spin_lock an LKR and an LKW,
// spin_unlock a UL, spin_trylock either LKR+LKW or a failed LF, spin_is_locked an RL (held)
// or an RU (free); their reads-from is chosen later (lock.ts), not from values.
//
// This module declares them; trace.ts (with thread-state.ts and atomic.ts) runs a thread to
// produce its traces. Nothing here chooses reads-from or coherence: execution.ts does.

import type { AccessAnnot, FenceAnnot, Instr, Value } from '../../litmus/ir.ts';

export type LockRole = 'LKR' | 'LKW' | 'UL' | 'LF' | 'RL' | 'RU';

/** An event as a thread trace produces it; execution.ts numbers them. */
export interface EventSpec {
  dir: 'R' | 'W' | 'F';
  /** Location index; -1 for a fence. */
  loc: number;
  /** The value read or written (0 for lock events, which carry none). */
  value: Value;
  annot: AccessAnnot | FenceAnnot;
  lock?: LockRole;
  /** synchronize_srcu(): the location of its srcu_struct (the event is a fence, loc -1). */
  srcu?: number;
  /**
   * A grace period the code does not wait through (call_rcu()'s, a polled one), which the
   * explorer records as two barrier() fences: 'start' where it starts; where it is known to have
   * ended (the callback, a poll that said so), the index of its start in the thread's trace.
   * With `srcu`, a grace period of that srcu_struct. lkmm-rcu.ts pairs them.
   */
  gp?: 'start' | number;
  /** Made by an rmw instruction: 'pair' when its read and write both happened, 'failed' for the lone read of a failed cmpxchg / add_unless. */
  rmw?: 'pair' | 'failed';
  /** The instruction it comes from (its position names it in --explain). */
  instr: Instr;
  /**
   * Only while computing value domains: the write instructions a value derives from
   * (bit i = write instruction i), or 'cyclic' for a write whose value would derive from itself.
   */
  ancestry?: bigint | 'cyclic';
}

/** A pair of indexes into Trace.events. */
export type LocalPair = [from: number, to: number];

export interface Trace {
  thread: number;
  events: EventSpec[];
  /** Final register values, temporaries included. */
  regs: Map<string, Value>;
  addr: LocalPair[];
  data: LocalPair[];
  ctrl: LocalPair[];
  /** The read and the write of an rmw instruction. */
  rmw: LocalPair[];
  /**
   * Set when the thread stopped at an access through a register that holds no address (the
   * trace ends there). Harmless while the trace is one that no execution can take; checkModel
   * reports it as the user's mistake when an allowed execution takes it.
   */
  fault?: { instr: Instr; reg: string; value: Value };
}

/** For each location index, the values its reads may return. */
export type ValueDomains = Value[][];

/** A value a read may return, with (while computing domains) the writes it derives from. */
export interface DomainEntry {
  value: Value;
  ancestry?: bigint;
}
