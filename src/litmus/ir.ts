// The litmus IR: what every backend reads.
//
// parse (text → AST with line:col) → lower (AST → this IR) → compile (hw, weak) | enumerate (model).
// A Test is its shared locations, its threads and its final condition. A thread is a list of
// instructions; each memory instruction becomes one event (or, for an rmw, a read and a write)
// carrying the kernel's annotation for it, as herd7's linux-kernel.def names them.
// Expressions inside a macro call or an `if` are already flattened: a memory access never
// appears inside an Expr, the lowering gives it a load and a temporary register first.
//
// This module only declares types and a few total helpers on them; it does no I/O and knows
// nothing of any backend.

import type { SourcePos } from '../errors.ts';

/**
 * A value: a 32-bit integer, or the address of a shared location, encoded as
 * ADDRESS_BASE + the location's index in Test.locations (see addressOf / locationOfAddress).
 */
export type Value = number;

/** Addresses live far above any value a litmus test computes, so they cannot be confused. */
export const ADDRESS_BASE = 0x4000_0000;

export const addressOf = (locIndex: number): Value => ADDRESS_BASE + locIndex;

/** The index of the location an address value points to, or undefined for a plain integer. */
export function locationOfAddress(test: Test, v: Value): number | undefined {
  const i = v - ADDRESS_BASE;
  return i >= 0 && i < test.locations.length ? i : undefined;
}

/**
 * A value herd7 leaves symbolic, printed `S1`, `S2`, ...: a model's final state may hold one
 * where a cycle of reads-from and data determines nothing (src/model/solve). Far above every
 * 32-bit value and address, so that it equals nothing but itself.
 */
const SYMBOLIC_BASE = 2 ** 40;

export const symbolicValue = (n: number): Value => SYMBOLIC_BASE + n;

/** The number of a symbolic value, or undefined for an integer or an address. */
export function symbolOf(v: Value): number | undefined {
  return v >= SYMBOLIC_BASE ? v - SYMBOLIC_BASE : undefined;
}

/**
 * Annotations, named as in the kernel's linux-kernel.def / linux-kernel.bell.
 * Accesses: plain (a C access), once, acquire, release, mb (fully ordered rmw), noreturn (the
 * rmw of atomic_inc() and friends), srcu-lock (srcu_read_lock(): a read of the srcu_struct),
 * srcu-unlock (srcu_read_unlock(): a write of the index back to it). Fences: the rest;
 * sync-srcu (synchronize_srcu()) is the one fence that names a location.
 */
export const ACCESS_ANNOTS = [
  'plain',
  'once',
  'acquire',
  'release',
  'mb',
  'noreturn',
  'srcu-lock',
  'srcu-unlock',
] as const;
export type AccessAnnot = (typeof ACCESS_ANNOTS)[number];

export const FENCE_ANNOTS = [
  'mb',
  'rmb',
  'wmb',
  'barrier',
  'before-atomic',
  'after-atomic',
  'after-spinlock',
  'after-unlock-lock',
  'rcu-lock',
  'rcu-unlock',
  'sync-rcu',
  'sync-srcu',
  'after-srcu-read-unlock',
] as const;
export type FenceAnnot = (typeof FENCE_ANNOTS)[number];

/** What a location holds; it decides how a value is printed and which macros may touch it. */
export type LocationType = 'int' | 'pointer' | 'spinlock';

export interface Location {
  name: string;
  type: LocationType;
  /** Its initial value (0 unless the init block says otherwise). */
  init: Value;
  /** Set when the init block or a thread declares it as atomic_t (for messages only). */
  atomic?: boolean;
}

/** Where an access goes: a named location, or the address held in a register (addr dependency). */
export type Addr = { kind: 'loc'; loc: string } | { kind: 'reg'; reg: string };

export const BINARY_OPS = [
  '+',
  '-',
  '*',
  '&',
  '|',
  '^',
  '==',
  '!=',
  '<',
  '>',
  '<=',
  '>=',
  '&&',
  '||',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];
export type UnaryOp = '!' | '-' | '~';

/** A register computation; memory is never read inside an Expr (see the header). */
export type Expr =
  | { kind: 'const'; value: Value }
  | { kind: 'reg'; reg: string }
  /** `&x` or a bare location name used as a value: the address of location x. */
  | { kind: 'addr'; loc: string }
  | { kind: 'unary'; op: UnaryOp; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

/** The rmw operations: atomic exchange, compare-and-exchange, and the arithmetic ones. */
export type RmwOp = 'xchg' | 'cmpxchg' | 'add' | 'sub' | 'add_unless';

/**
 * What an rmw's destination register receives:
 * old (xchg, cmpxchg, atomic_fetch_*), new (atomic_*_return), none (atomic_inc),
 * added (atomic_add_unless: 1 if it added, 0 if the value was the one to avoid).
 * `test` then turns that into a truth value: atomic_dec_and_test is new then '==0'.
 */
export type RmwResult = 'old' | 'new' | 'none' | 'added';
export type RmwTest = '==0' | '<0';

interface At {
  /** Where the instruction is in the litmus file. */
  pos: SourcePos;
}

export type Instr =
  | (At & { kind: 'load'; annot: AccessAnnot; addr: Addr; dst: string })
  | (At & { kind: 'store'; annot: AccessAnnot; addr: Addr; value: Expr })
  | (At & {
      kind: 'rmw';
      op: RmwOp;
      annot: AccessAnnot;
      addr: Addr;
      /** xchg: the new value; cmpxchg: the new value; add/sub: the amount; add_unless: the amount. */
      operand: Expr;
      /** cmpxchg: the value expected; add_unless: the value that prevents the add. */
      compare?: Expr;
      result: RmwResult;
      test?: RmwTest;
      dst?: string;
    })
  /** addr: the srcu_struct of synchronize_srcu(), the only fence with a location. */
  | (At & { kind: 'fence'; annot: FenceAnnot; addr?: Addr })
  | (At & { kind: 'lock'; addr: Addr })
  | (At & { kind: 'unlock'; addr: Addr })
  /** spin_trylock(): dst gets 1 if the lock was taken, 0 if it was held. */
  | (At & { kind: 'trylock'; addr: Addr; dst?: string })
  /** spin_is_locked(): dst gets 1 if the lock is held, 0 if not. */
  | (At & { kind: 'islocked'; addr: Addr; dst?: string })
  /** A register computation: no memory event. */
  | (At & { kind: 'assign'; dst: string; value: Expr })
  | (At & { kind: 'branch'; cond: Expr; then: Instr[]; else: Instr[] });

export interface Register {
  name: string;
  /** int, or pointer for `int *r0` (its values print as location names). */
  type: 'int' | 'pointer';
  /** Temporaries made by the lowering (names start with '%'), never printed. */
  temporary?: boolean;
}

export interface Thread {
  /** 0 for P0. */
  id: number;
  /** Names of the shared locations this thread's parameters name. */
  params: string[];
  registers: Register[];
  /**
   * Registers set by the init block (`0:r1=2;`); the others start at 0. A Map, as every table
   * keyed by a name from the file: a register named `constructor` must find nothing here.
   */
  registerInit: Map<string, Value>;
  body: Instr[];
}

/** A key of a final state: a thread's register (`0:r0`) or a shared location (`x`). */
export type StateKey = { kind: 'reg'; thread: number; reg: string } | { kind: 'loc'; loc: string };

/** A proposition over a final state, as in the exists / forall / filter clauses. */
export type Prop =
  | { kind: 'true' }
  | { kind: 'eq'; key: StateKey; value: Value }
  /** Two keys with the same value: herd7's `0:r1=1:r2`, `0:r1=[x]`. */
  | { kind: 'eqkeys'; key: StateKey; other: StateKey }
  | { kind: 'not'; arg: Prop }
  | { kind: 'and' | 'or'; left: Prop; right: Prop };

export type Quantifier = 'exists' | '~exists' | 'forall';

export interface Condition {
  quantifier: Quantifier;
  prop: Prop;
}

export type Expectation = 'Never' | 'Sometimes' | 'Always';

/** herd7's Observation: Never (no positive), Always (no negative), Sometimes otherwise. */
export function observationOf(positive: number, negative: number): Expectation {
  return positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
}

export interface Test {
  name: string;
  /** The file it came from, as the user named it. */
  file: string;
  /** From a `Result:` line in a comment, when there is one. */
  expected?: Expectation;
  /** Every shared location: from the init block and from the threads' parameters. */
  locations: Location[];
  threads: Thread[];
  condition: Condition;
  /** The `locations [...]` clause: keys printed in a final state besides the condition's. */
  extraKeys: StateKey[];
  /** The `filter` clause: executions whose final state fails it are not counted. */
  filter?: Prop;
  /** sha256 of the file's text, recorded in results so a figure can be traced to its test. */
  hash: string;
  /** herd7's and litmus7's Hash= of the test (herd-hash.ts), when herd7 could read the file. */
  herdHash?: string;
}

/**
 * The keys of a final state: those of the condition, the filter and `locations [...]`, in
 * herd7's order — registers by thread then name, then locations by name. Without the filter's
 * (`withFilter` false): the keys herd7 hashes (herd-hash.ts).
 */
export function observedKeys(test: Test, withFilter = true): StateKey[] {
  const keys: StateKey[] = [];
  const seen = new Set<string>();
  const add = (k: StateKey) => {
    const id = stateKeyName(k);
    if (!seen.has(id)) {
      seen.add(id);
      keys.push(k);
    }
  };
  const walk = (p: Prop): void => {
    if (p.kind === 'eq') add(p.key);
    else if (p.kind === 'eqkeys') {
      add(p.key);
      add(p.other);
    } else if (p.kind === 'not') walk(p.arg);
    else if (p.kind === 'and' || p.kind === 'or') {
      walk(p.left);
      walk(p.right);
    }
  };
  for (const k of test.extraKeys) add(k);
  walk(test.condition.prop);
  if (test.filter && withFilter) walk(test.filter);
  return keys.sort(compareStateKeys);
}

function compareStateKeys(a: StateKey, b: StateKey): number {
  if (a.kind !== b.kind) return a.kind === 'reg' ? -1 : 1;
  if (a.kind === 'reg' && b.kind === 'reg') return a.thread - b.thread || cmp(a.reg, b.reg);
  return cmp(stateKeyName(a), stateKeyName(b));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `0:r0` for a register, `x` for a location: how herd7 names them in a condition. */
export function stateKeyName(k: StateKey): string {
  return k.kind === 'reg' ? `${k.thread}:${k.reg}` : k.loc;
}

/** The first instruction of any thread (branches searched, in program order) that `pred` accepts. */
export function firstInstr(test: Test, pred: (ins: Instr) => boolean): Instr | undefined {
  const walk = (instrs: Instr[]): Instr | undefined => {
    for (const ins of instrs) {
      if (pred(ins)) return ins;
      if (ins.kind === 'branch') {
        const inner = walk(ins.then) ?? walk(ins.else);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  for (const t of test.threads) {
    const found = walk(t.body);
    if (found) return found;
  }
  return undefined;
}

/** Evaluate a proposition over a final state given as a lookup. */
export function evalProp(p: Prop, lookup: (k: StateKey) => Value): boolean {
  switch (p.kind) {
    case 'true':
      return true;
    case 'eq':
      return lookup(p.key) === p.value;
    case 'eqkeys':
      return lookup(p.key) === lookup(p.other);
    case 'not':
      return !evalProp(p.arg, lookup);
    case 'and':
      return evalProp(p.left, lookup) && evalProp(p.right, lookup);
    case 'or':
      return evalProp(p.left, lookup) || evalProp(p.right, lookup);
  }
}

/** Evaluate a register expression. Division is not in the language, so this is total. */
export function evalExpr(
  e: Expr,
  reg: (name: string) => Value,
  loc: (name: string) => Value,
): Value {
  switch (e.kind) {
    case 'const':
      return e.value;
    case 'reg':
      return reg(e.reg);
    case 'addr':
      return loc(e.loc);
    case 'unary': {
      const a = evalExpr(e.arg, reg, loc);
      return e.op === '!' ? Number(a === 0) : e.op === '-' ? -a | 0 : ~a;
    }
    case 'binary':
      return evalBinary(e.op, evalExpr(e.left, reg, loc), evalExpr(e.right, reg, loc));
  }
}

export function evalBinary(op: BinaryOp, a: Value, b: Value): Value {
  switch (op) {
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '*':
      return Math.imul(a, b);
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '==':
      return Number(a === b);
    case '!=':
      return Number(a !== b);
    case '<':
      return Number(a < b);
    case '>':
      return Number(a > b);
    case '<=':
      return Number(a <= b);
    case '>=':
      return Number(a >= b);
    case '&&':
      return Number(a !== 0 && b !== 0);
    case '||':
      return Number(a !== 0 || b !== 0);
  }
}

/** A Test as JSON carries it to a child engine or a page: JSON has no Map, so registerInit is an object. */
export type WireTest = Omit<Test, 'threads'> & {
  threads: (Omit<Thread, 'registerInit'> & { registerInit: Record<string, Value> })[];
};

export function testToWire(t: Test): WireTest {
  return {
    ...t,
    threads: t.threads.map((th) => ({ ...th, registerInit: Object.fromEntries(th.registerInit) })),
  };
}

/** Back from JSON: the object's own keys only (JSON.parse makes `constructor` an own key). */
export function testFromWire(w: WireTest): Test {
  return {
    ...w,
    threads: w.threads.map((th) => ({
      ...th,
      registerInit: new Map(Object.entries(th.registerInit)),
    })),
  };
}
