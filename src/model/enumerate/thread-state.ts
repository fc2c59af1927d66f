// The interpreter's state along one path of a thread, and the steps every instruction
// shares: emitting an event with its addr and ctrl dependencies, setting a register with the
// reads its value depends on (its taint), resolving an address, evaluating an expression.
// trace.ts and atomic.ts build on these.

import { UserError } from '../../errors.ts';
import {
  type Addr,
  addressOf,
  type Expr,
  evalExpr,
  type Instr,
  locationOfAddress,
  type Test,
  type Thread,
  type Value,
} from '../../litmus/ir.ts';
import type { DomainEntry, EventSpec, Trace, ValueDomains } from '../core/events.ts';

/** Interpreter state along one path; copied at every choice. */
export interface State {
  regs: Map<string, Value>;
  /** For each register, the reads (local indexes) its value depends on. */
  taint: Map<string, number[]>;
  /** Reads that some branch taken so far depends on. */
  ctrlTaint: number[];
  trace: Trace;
}

export function copyState(s: State): State {
  const t = s.trace;
  return {
    regs: new Map(s.regs),
    taint: new Map(s.taint),
    ctrlTaint: s.ctrlTaint.slice(),
    trace: {
      thread: t.thread,
      events: t.events.slice(),
      regs: t.regs,
      addr: t.addr.slice(),
      data: t.data.slice(),
      ctrl: t.ctrl.slice(),
      rmw: t.rmw.slice(),
    },
  };
}

/** Options of the interpreter: with allPaths, both sides of every branch are explored. */
export interface Run {
  test: Test;
  domains: ValueDomains;
  /** While computing value domains: the values with their ancestries, and the write instructions' numbers. */
  provenance?: { entries: DomainEntry[][]; writeIds: Map<Instr, number> };
  allPaths: boolean;
  /** Where finished traces go: a list, or (values.ts) a function that reads each and drops it. */
  out: { push(trace: Trace): unknown };
  /** Called every so often so that a budget can stop a runaway enumeration. */
  tick: () => void;
}

/**
 * Go on with a state, or with a function that makes it when its frame is run: a read's
 * choices copy the state only when taken, so the frames waiting hold no copies (a long thread
 * would otherwise keep one per value per read).
 */
export type Go = (s: State | (() => State)) => void;

export function initialState(thread: Thread): State {
  const regs = new Map<string, Value>();
  for (const r of thread.registers) regs.set(r.name, thread.registerInit.get(r.name) ?? 0);
  for (const [name, v] of thread.registerInit) regs.set(name, v);
  return {
    regs,
    taint: new Map(),
    ctrlTaint: [],
    trace: { thread: thread.id, events: [], regs, addr: [], data: [], ctrl: [], rmw: [] },
  };
}

/** Append an event; record the addr and ctrl dependencies into it. Returns its local index. */
export function emit(s: State, e: EventSpec, addrTaint: number[] = []): number {
  const i = s.trace.events.length;
  s.trace.events.push(e);
  for (const r of addrTaint) s.trace.addr.push([r, i]);
  for (const r of s.ctrlTaint) s.trace.ctrl.push([r, i]);
  return i;
}

export function setReg(s: State, reg: string, v: Value, taint: number[]): void {
  s.regs.set(reg, v);
  s.taint.set(reg, taint);
}

/**
 * The location an access goes to and the reads its address depends on; undefined when the
 * address register holds no address, after ending the trace there with a fault (events.ts).
 */
export function resolve(
  run: Run,
  s: State,
  addr: Addr,
  instr: Instr,
): [loc: number, taint: number[]] | undefined {
  const test = run.test;
  if (addr.kind === 'loc') return [locationIndex(test, addr.loc, instr), []];
  if (!s.regs.has(addr.reg)) return [locationIndex(test, addr.reg, instr), []];
  const value = s.regs.get(addr.reg)!;
  const loc = locationOfAddress(test, value);
  if (loc === undefined) {
    s.trace.fault = { instr, reg: addr.reg, value };
    s.trace.regs = s.regs;
    run.out.push(s.trace);
    return undefined;
  }
  return [loc, s.taint.get(addr.reg) ?? []];
}

function locationIndex(test: Test, name: string, instr: Instr): number {
  const i = test.locations.findIndex((l) => l.name === name);
  if (i < 0) throw new UserError(`unknown shared location ${name}`, test.file, instr.pos);
  return i;
}

/** The address a location's name stands for in an expression. */
export function locationAddress(test: Test, name: string): Value {
  return addressOf(
    locationIndex(test, name, { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } }),
  );
}

/** Evaluate an expression; a name that is no register is a location, standing for its address. */
export function evalIn(test: Test, s: State, e: Expr): Value {
  const address = (name: string) => locationAddress(test, name);
  return evalExpr(e, (r) => s.regs.get(r) ?? address(r), address);
}

export function taintOf(s: State, e: Expr): number[] {
  switch (e.kind) {
    case 'const':
    case 'addr':
      return [];
    case 'reg':
      return s.taint.get(e.reg) ?? [];
    case 'unary':
      return taintOf(s, e.arg);
    case 'binary':
      return union(taintOf(s, e.left), taintOf(s, e.right));
  }
}

export function union(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])];
}

export function choices(run: Run, loc: number): DomainEntry[] {
  return run.provenance
    ? run.provenance.entries[loc]!
    : run.domains[loc]!.map((value) => ({ value }));
}

/** The ancestry of a written value: its reads' ancestries and the write itself. */
export function writeAncestry(
  run: Run,
  s: State,
  instr: Instr,
  taint: number[],
): bigint | 'cyclic' | undefined {
  if (!run.provenance) return undefined;
  const self = 1n << BigInt(run.provenance.writeIds.get(instr)!);
  const mask = readsAncestry(s, taint);
  return mask === 'cyclic' || (mask & self) !== 0n ? 'cyclic' : mask | self;
}

/** The writes the values of some reads derive from (while computing value domains). */
export function readsAncestry(s: State, reads: number[]): bigint | 'cyclic' {
  let mask = 0n;
  for (const r of reads) {
    const a = s.trace.events[r]!.ancestry;
    if (a === 'cyclic') return 'cyclic';
    mask |= a ?? 0n;
  }
  return mask;
}
