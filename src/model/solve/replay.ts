// One thread's trace run again with herd7's symbolic values (terms.ts): each read returns a
// variable instead of its value, and every computation gives the term herd7 would hold. The
// trace fixes the path (its branches followed the values it read), so this walks the same
// instructions in the same order, and says what herd7's equations for that path are: the
// value term of each write, the operations herd7 leaves for its solver, and the equalities a
// successful cmpxchg or a failed add_unless states between its read and a value.
//
// It mirrors trace.ts and atomic.ts (what each instruction emits); it chooses nothing.

import {
  addressOf,
  type Expr,
  evalExpr,
  type Instr,
  locationOfAddress,
  type Test,
  type Thread,
  type Value,
} from '../../litmus/ir.ts';
import type { EventSpec, Trace } from '../core/events.ts';
import { binary, constant, type Term, unary } from './terms.ts';

export interface ThreadTerms {
  /** The value term of each write of the trace, by its event id. */
  writes: Map<number, Term>;
  /** Each register's final term. */
  regs: Map<string, Term>;
  /** Operations on variables herd7 leaves as equations: each must solve to a constant. */
  pending: Term[];
  /** [read's event id, term]: the read's value is that term's (cmpxchg, add_unless). */
  equal: [number, Term][];
}

type Held = { value: Value; term: Term };

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** The terms of `trace`, a trace of `thread` whose first event has id `base`. */
export function replayThread(test: Test, thread: Thread, trace: Trace, base: number): ThreadTerms {
  const out: ThreadTerms = { writes: new Map(), regs: new Map(), pending: [], equal: [] };
  const regs = new Map<string, Held>();
  for (const r of thread.registers) regs.set(r.name, held(thread.registerInit.get(r.name) ?? 0));
  for (const [name, v] of thread.registerInit) regs.set(name, held(v));
  let next = 0;
  const address = (name: string): Value => addressOf(locationIndex(test, name));
  const evaluate = (e: Expr): Held => ({
    value: evalExpr(e, (r) => regs.get(r)?.value ?? address(r), address),
    term: termOf(e, regs, address, out.pending),
  });
  // The next event of the trace, which must be the one `instr` emitted.
  const event = (instr: Instr): [EventSpec, number] => {
    const e = trace.events[next];
    if (e?.instr !== instr)
      throw new Error(`internal: replaying P${thread.id} of ${test.name} left its trace`);
    return [e, base + next++];
  };
  // Whether the access's address names a location; false where the trace ended in a fault.
  const located = (addr: Extract<Instr, { kind: 'load' }>['addr']): boolean => {
    if (addr.kind === 'loc' || !regs.has(addr.reg)) return true;
    const { value, term } = regs.get(addr.reg)!;
    if (term.kind !== 'const') out.pending.push(term);
    return locationOfAddress(test, value) !== undefined;
  };
  const run = (body: Instr[]): boolean => {
    for (const i of body) {
      if ('addr' in i && i.addr && !located(i.addr)) return false;
      switch (i.kind) {
        case 'assign':
          regs.set(i.dst, evaluate(i.value));
          break;
        case 'branch': {
          const cond = evaluate(i.cond);
          // herd7 branches on a comparison, `e != 0` when the condition is none.
          const test = isComparison(i.cond) ? cond.term : binary('!=', cond.term, constant(0));
          if (test.kind !== 'const') out.pending.push(test);
          if (!run(cond.value !== 0 ? i.then : i.else)) return false;
          break;
        }
        case 'load': {
          const [e, id] = event(i);
          regs.set(i.dst, { value: e.value, term: { kind: 'var', id } });
          break;
        }
        case 'store':
          out.writes.set(event(i)[1], evaluate(i.value).term);
          break;
        case 'rmw':
          replayRmw(i, event, evaluate, regs, out);
          break;
        case 'fence':
          event(i);
          break;
        default:
          replayLock(i, event, regs, trace.events[next]);
      }
    }
    return true;
  };
  run(thread.body);
  for (const [name, h] of regs) out.regs.set(name, h.term);
  return out;
}

function replayRmw(
  i: Extract<Instr, { kind: 'rmw' }>,
  event: (instr: Instr) => [EventSpec, number],
  evaluate: (e: Expr) => Held,
  regs: Map<string, Held>,
  out: ThreadTerms,
): void {
  const operand = evaluate(i.operand);
  const compare = i.compare ? evaluate(i.compare) : held(0);
  const [r, id] = event(i);
  const read: Term = { kind: 'var', id };
  // An operation herd7 cannot compute yet is an equation; a variable is only copied.
  const must = (t: Term) => {
    if (t.kind === 'unary' || t.kind === 'binary') out.pending.push(t);
  };
  let written: Held | undefined;
  if (r.rmw === 'pair') {
    const [w, wid] = event(i);
    const term =
      i.op === 'xchg' || i.op === 'cmpxchg'
        ? operand.term
        : binary(i.op === 'sub' ? '-' : '+', read, operand.term);
    must(term);
    if (i.op === 'cmpxchg') out.equal.push([id, compare.term]);
    if (i.op === 'add_unless') must(binary('==', read, compare.term));
    out.writes.set(wid, term);
    written = { value: w.value, term };
  } else if (i.op === 'cmpxchg') must(binary('==', read, compare.term));
  else out.equal.push([id, compare.term]);
  if (i.dst === undefined) return;
  const old: Held = { value: r.value, term: read };
  let result =
    i.result === 'old'
      ? old
      : i.result === 'new'
        ? (written ?? old)
        : held(i.result === 'added' ? Number(written !== undefined) : 0);
  if (i.test) {
    const term = binary(i.test === '==0' ? '==' : '<', result.term, constant(0));
    must(term);
    const value = i.test === '==0' ? Number(result.value === 0) : Number(result.value < 0);
    result = { value, term };
  }
  regs.set(i.dst, result);
}

/** Lock primitives emit lock events and give constants (atomic.ts's execLock). */
function replayLock(
  i: Extract<Instr, { kind: 'lock' | 'unlock' | 'trylock' | 'islocked' }>,
  event: (instr: Instr) => [EventSpec, number],
  regs: Map<string, Held>,
  first: EventSpec | undefined,
): void {
  const success = first?.lock === 'LKR' || first?.lock === 'RL';
  event(i);
  if (i.kind === 'lock' || (i.kind === 'trylock' && success)) event(i);
  if ((i.kind === 'trylock' || i.kind === 'islocked') && i.dst !== undefined)
    regs.set(i.dst, held(Number(success)));
}

function termOf(
  e: Expr,
  regs: Map<string, Held>,
  address: (name: string) => Value,
  pending: Term[],
): Term {
  let t: Term;
  switch (e.kind) {
    case 'const':
      return constant(e.value);
    case 'addr':
      return constant(address(e.loc));
    case 'reg':
      return regs.get(e.reg)?.term ?? constant(address(e.reg));
    case 'unary':
      t = unary(e.op, termOf(e.arg, regs, address, pending));
      break;
    case 'binary':
      t = binary(
        e.op,
        termOf(e.left, regs, address, pending),
        termOf(e.right, regs, address, pending),
      );
  }
  // herd7 makes an equation of every operation it cannot compute yet.
  if (t.kind === 'unary' || t.kind === 'binary') pending.push(t);
  return t;
}

function isComparison(e: Expr): boolean {
  return e.kind === 'binary' && COMPARISONS.has(e.op);
}

function held(value: Value): Held {
  return { value, term: constant(value) };
}

function locationIndex(test: Test, name: string): number {
  const i = test.locations.findIndex((l) => l.name === name);
  if (i < 0) throw new Error(`internal: ${name} is no location of ${test.name}`);
  return i;
}
