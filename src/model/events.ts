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
// This module does not choose reads-from or coherence: execution.ts does.

import { UserError } from '../errors.ts';
import {
  type AccessAnnot,
  type Addr,
  addressOf,
  type Expr,
  evalExpr,
  type FenceAnnot,
  type Instr,
  locationOfAddress,
  type Test,
  type Thread,
  type Value,
} from '../litmus/ir.ts';

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
}

/** For each location index, the values its reads may return. */
export type ValueDomains = Value[][];

/** Interpreter state along one path; copied at every choice. */
interface State {
  regs: Map<string, Value>;
  /** For each register, the reads (local indexes) its value depends on. */
  taint: Map<string, number[]>;
  /** Reads that some branch taken so far depends on. */
  ctrlTaint: number[];
  trace: Trace;
}

function copyState(s: State): State {
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
  out: Trace[];
  /** Called every so often so that a budget can stop a runaway enumeration. */
  tick: () => void;
}

/** Every trace of a thread, reads taking values from the domains. */
export function threadTraces(
  test: Test,
  thread: Thread,
  domains: ValueDomains,
  tick: () => void,
): Trace[] {
  const run: Run = { test, domains, allPaths: false, out: [], tick };
  exec(run, thread.body, 0, initialState(thread));
  return run.out;
}

export function initialState(thread: Thread): State {
  const regs = new Map<string, Value>();
  for (const r of thread.registers) regs.set(r.name, thread.registerInit[r.name] ?? 0);
  for (const [name, v] of Object.entries(thread.registerInit)) regs.set(name, v);
  return {
    regs,
    taint: new Map(),
    ctrlTaint: [],
    trace: { thread: thread.id, events: [], regs, addr: [], data: [], ctrl: [], rmw: [] },
  };
}

/** Run body[k..] then the continuation `rest` (the code after enclosing branches). */
export function exec(
  run: Run,
  body: Instr[],
  k: number,
  s: State,
  rest: [Instr[], number][] = [],
): void {
  run.tick();
  if (k === body.length) {
    const next = rest[rest.length - 1];
    if (next) {
      exec(run, next[0], next[1], s, rest.slice(0, -1));
      return;
    }
    s.trace.regs = s.regs;
    run.out.push(s.trace);
    return;
  }
  const instr = body[k]!;
  const go = (st: State) => exec(run, body, k + 1, st, rest);
  switch (instr.kind) {
    case 'assign':
      setReg(s, instr.dst, evalIn(run.test, s, instr.value), taintOf(s, instr.value));
      go(s);
      return;
    case 'branch': {
      const cond = evalIn(run.test, s, instr.cond) !== 0;
      s.ctrlTaint = union(s.ctrlTaint, taintOf(s, instr.cond));
      const sides = run.allPaths ? [true, false] : [cond];
      for (const side of sides) {
        const st = sides.length > 1 ? copyState(s) : s;
        exec(run, side ? instr.then : instr.else, 0, st, [...rest, [body, k + 1]]);
      }
      return;
    }
    case 'fence':
      emit(s, { dir: 'F', loc: -1, value: 0, annot: instr.annot, instr });
      go(s);
      return;
    case 'load':
      execLoad(run, instr, s, go);
      return;
    case 'store':
      execStore(run, instr, s, go);
      return;
    case 'rmw':
      execRmw(run, instr, s, go);
      return;
    default:
      execLock(run, instr, s, go);
      return;
  }
}

type Go = (s: State) => void;

function execLoad(run: Run, instr: Extract<Instr, { kind: 'load' }>, s: State, go: Go): void {
  const [loc, addrTaint] = resolve(run.test, s, instr.addr, instr);
  for (const { value: v, ancestry } of choices(run, loc)) {
    const st = copyState(s);
    const r = emit(st, { dir: 'R', loc, value: v, annot: instr.annot, instr, ancestry }, addrTaint);
    setReg(st, instr.dst, v, [r]);
    go(st);
  }
}

function execStore(run: Run, instr: Extract<Instr, { kind: 'store' }>, s: State, go: Go): void {
  const [loc, addrTaint] = resolve(run.test, s, instr.addr, instr);
  const v = evalIn(run.test, s, instr.value);
  const taint = taintOf(s, instr.value);
  const ancestry = writeAncestry(run, s, instr, taint);
  const w = emit(s, { dir: 'W', loc, value: v, annot: instr.annot, instr, ancestry }, addrTaint);
  for (const r of taint) s.trace.data.push([r, w]);
  go(s);
}

function execRmw(run: Run, instr: Extract<Instr, { kind: 'rmw' }>, s: State, go: Go): void {
  const [loc, addrTaint] = resolve(run.test, s, instr.addr, instr);
  const operand = evalIn(run.test, s, instr.operand);
  const compare = instr.compare ? evalIn(run.test, s, instr.compare) : 0;
  const operandTaint = taintOf(s, instr.operand);
  for (const { value: old, ancestry: readAncestry } of choices(run, loc)) {
    const st = copyState(s);
    const next = rmwNewValue(instr.op, old, operand, compare);
    const rmw = next === undefined ? 'failed' : 'pair';
    // A failed conditional rmw orders nothing: its read counts as a READ_ONCE().
    const annot = next === undefined ? 'once' : instr.annot;
    const r = emit(
      st,
      { dir: 'R', loc, value: old, annot, rmw, instr, ancestry: readAncestry },
      addrTaint,
    );
    if (next !== undefined) {
      const from =
        instr.op === 'xchg' || instr.op === 'cmpxchg' ? operandTaint : union([r], operandTaint);
      const ancestry = writeAncestry(run, st, instr, from);
      const w = emit(st, { dir: 'W', loc, value: next, annot, rmw, instr, ancestry }, addrTaint);
      st.trace.rmw.push([r, w]);
      for (const d of operandTaint) st.trace.data.push([d, w]);
    }
    if (instr.dst !== undefined) {
      let result = rmwResult(instr.result, old, next, operand);
      if (instr.test === '==0') result = Number(result === 0);
      else if (instr.test === '<0') result = Number(result < 0);
      setReg(st, instr.dst, result, instr.result === 'new' ? union([r], operandTaint) : [r]);
    }
    go(st);
  }
}

/** The value an rmw writes, or undefined when a conditional one fails. */
function rmwNewValue(
  op: Extract<Instr, { kind: 'rmw' }>['op'],
  old: Value,
  operand: Value,
  compare: Value,
): Value | undefined {
  switch (op) {
    case 'xchg':
      return operand;
    case 'cmpxchg':
      return old === compare ? operand : undefined;
    case 'add':
      return (old + operand) | 0;
    case 'sub':
      return (old - operand) | 0;
    case 'add_unless':
      return old === compare ? undefined : (old + operand) | 0;
  }
}

function rmwResult(
  result: Extract<Instr, { kind: 'rmw' }>['result'],
  old: Value,
  next: Value | undefined,
  _operand: Value,
): Value {
  switch (result) {
    case 'old':
      return old;
    case 'new':
      return next ?? old;
    case 'added':
      return Number(next !== undefined);
    case 'none':
      return 0;
  }
}

type LockInstr = Extract<Instr, { kind: 'lock' | 'unlock' | 'trylock' | 'islocked' }>;

function execLock(run: Run, instr: LockInstr, s: State, go: Go): void {
  const [loc, addrTaint] = resolve(run.test, s, instr.addr, instr);
  const ev = (lock: LockRole): EventSpec => ({
    dir: lock === 'LKW' || lock === 'UL' ? 'W' : 'R',
    loc,
    value: 0,
    annot: 'once',
    lock,
    instr,
  });
  switch (instr.kind) {
    case 'lock':
      emit(s, ev('LKR'), addrTaint);
      emit(s, ev('LKW'), addrTaint);
      go(s);
      return;
    case 'unlock':
      emit(s, ev('UL'), addrTaint);
      go(s);
      return;
    case 'trylock':
    case 'islocked':
      for (const success of [true, false]) {
        const st = copyState(s);
        let r: number;
        if (instr.kind === 'trylock' && success) {
          r = emit(st, ev('LKR'), addrTaint);
          emit(st, ev('LKW'), addrTaint);
        } else if (instr.kind === 'trylock') r = emit(st, ev('LF'), addrTaint);
        else r = emit(st, ev(success ? 'RL' : 'RU'), addrTaint);
        if (instr.dst !== undefined) setReg(st, instr.dst, Number(success), [r]);
        go(st);
      }
      return;
  }
}

/** Append an event; record the addr and ctrl dependencies into it. Returns its local index. */
function emit(s: State, e: EventSpec, addrTaint: number[] = []): number {
  const i = s.trace.events.length;
  s.trace.events.push(e);
  for (const r of addrTaint) s.trace.addr.push([r, i]);
  for (const r of s.ctrlTaint) s.trace.ctrl.push([r, i]);
  return i;
}

function setReg(s: State, reg: string, v: Value, taint: number[]): void {
  s.regs.set(reg, v);
  s.taint.set(reg, taint);
}

/** The location an access goes to, and the reads its address depends on. */
function resolve(test: Test, s: State, addr: Addr, instr: Instr): [loc: number, taint: number[]] {
  if (addr.kind === 'loc') return [locationIndex(test, addr.loc, instr), []];
  if (!s.regs.has(addr.reg)) return [locationIndex(test, addr.reg, instr), []];
  const v = s.regs.get(addr.reg)!;
  const loc = locationOfAddress(test, v);
  if (loc === undefined) {
    throw new UserError(
      `the model cannot follow ${addr.reg}: it holds ${v}, not the address of a shared location`,
      test.file,
      instr.pos,
    );
  }
  return [loc, s.taint.get(addr.reg) ?? []];
}

function locationIndex(test: Test, name: string, instr: Instr): number {
  const i = test.locations.findIndex((l) => l.name === name);
  if (i < 0) throw new UserError(`unknown shared location ${name}`, test.file, instr.pos);
  return i;
}

function evalIn(test: Test, s: State, e: Expr): Value {
  return evalExpr(
    e,
    (r) =>
      s.regs.get(r) ??
      addressOf(locationIndex(test, r, { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } })),
    (l) =>
      addressOf(locationIndex(test, l, { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } })),
  );
}

function taintOf(s: State, e: Expr): number[] {
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

function union(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return [...new Set([...a, ...b])];
}

/** A value a read may return, with (while computing domains) the writes it derives from. */
export interface DomainEntry {
  value: Value;
  ancestry?: bigint;
}

function choices(run: Run, loc: number): DomainEntry[] {
  return run.provenance
    ? run.provenance.entries[loc]!
    : run.domains[loc]!.map((value) => ({ value }));
}

/** The ancestry of a written value: its reads' ancestries and the write itself. */
function writeAncestry(
  run: Run,
  s: State,
  instr: Instr,
  taint: number[],
): bigint | 'cyclic' | undefined {
  if (!run.provenance) return undefined;
  const self = 1n << BigInt(run.provenance.writeIds.get(instr)!);
  let mask = 0n;
  for (const r of taint) {
    const a = s.trace.events[r]!.ancestry;
    if (a === 'cyclic') return 'cyclic';
    mask |= a ?? 0n;
  }
  return (mask & self) !== 0n ? 'cyclic' : mask | self;
}
