// One thread's trace run again with herd7's symbolic values (terms.ts): each read returns a
// variable instead of its value, and every computation gives the atom herd7 would hold. The
// trace fixes the path (its branches followed the values it read), so this walks the same
// instructions in the same order, and says what herd7's equations for that path are: the atom
// each write stores, the operations herd7 leaves for its solver (`v := a op b`), and the
// equalities a branch, a cmpxchg or an add_unless states (`c := 1` for the side taken, a
// successful cmpxchg's read := the value it expected).
//
// It mirrors trace.ts and atomic.ts (what each instruction emits); it chooses nothing.

import {
  type Expr,
  evalExpr,
  type Instr,
  locationOfAddress,
  type Test,
  type Thread,
  type Value,
} from '../../litmus/ir.ts';
import type { EventSpec, Trace } from '../core/events.ts';
import { locationAddress } from '../enumerate/thread-state.ts';
import { type Atom, compute, constant, type Operation } from './terms.ts';

export interface ThreadTerms {
  /** The atom each write of the trace stores, by its event id. */
  writes: Map<number, Atom>;
  /** Each register's final atom. */
  regs: Map<string, Atom>;
  /** `v := operation`: the operations herd7 could not compute when it met them. */
  defs: [number, Operation][];
  /** `a := b`: what a branch, a cmpxchg or an add_unless states. */
  equal: [Atom, Atom][];
  /** Atoms an access needs as its address: each must solve to a constant. */
  addresses: Atom[];
}

type Held = { value: Value; atom: Atom };

/** Numbers for the variables of operations, after the execution's event ids. */
type Fresh = { next: number };

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** The equations of `trace`, a trace of `thread` whose first event has id `base`. */
export function replayThread(
  test: Test,
  thread: Thread,
  trace: Trace,
  base: number,
  fresh: Fresh,
): ThreadTerms {
  const out: ThreadTerms = {
    writes: new Map(),
    regs: new Map(),
    defs: [],
    equal: [],
    addresses: [],
  };
  const regs = new Map<string, Held>();
  for (const r of thread.registers) regs.set(r.name, held(thread.registerInit.get(r.name) ?? 0));
  for (const [name, v] of thread.registerInit) regs.set(name, held(v));
  let next = 0;
  const address = (name: string): Value => locationAddress(test, name);
  const operate = (o: Operation): Atom => {
    const known = compute(o);
    if (known) return known;
    const id = fresh.next++;
    out.defs.push([id, o]);
    return { kind: 'var', id };
  };
  const evaluate = (e: Expr): Held => ({
    value: evalExpr(e, (r) => regs.get(r)?.value ?? address(r), address),
    atom: atomOf(e, regs, address, operate),
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
    const { value, atom } = regs.get(addr.reg)!;
    out.addresses.push(atom);
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
          // herd7 branches on a comparison, `e != 0` when the condition is none, and states
          // that it has the side taken.
          const c = isComparison(i.cond)
            ? cond.atom
            : operate({ kind: 'binary', op: '!=', left: cond.atom, right: constant(0) });
          out.equal.push([c, constant(Number(cond.value !== 0))]);
          if (!run(cond.value !== 0 ? i.then : i.else)) return false;
          break;
        }
        case 'load': {
          const [e, id] = event(i);
          regs.set(i.dst, { value: e.value, atom: { kind: 'var', id } });
          break;
        }
        case 'store':
          out.writes.set(event(i)[1], evaluate(i.value).atom);
          break;
        case 'rmw':
          replayRmw(i, event, evaluate, operate, regs, out);
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
  for (const [name, h] of regs) out.regs.set(name, h.atom);
  return out;
}

function replayRmw(
  i: Extract<Instr, { kind: 'rmw' }>,
  event: (instr: Instr) => [EventSpec, number],
  evaluate: (e: Expr) => Held,
  operate: (o: Operation) => Atom,
  regs: Map<string, Held>,
  out: ThreadTerms,
): void {
  const operand = evaluate(i.operand);
  const compare = i.compare ? evaluate(i.compare) : held(0);
  const [r, id] = event(i);
  const read: Atom = { kind: 'var', id };
  const equals = (l: Atom, rr: Atom) => operate({ kind: 'binary', op: '==', left: l, right: rr });
  let written: Held | undefined;
  if (r.rmw === 'pair') {
    const [w, wid] = event(i);
    const atom =
      i.op === 'xchg' || i.op === 'cmpxchg'
        ? operand.atom
        : operate({
            kind: 'binary',
            op: i.op === 'sub' ? '-' : '+',
            left: read,
            right: operand.atom,
          });
    // herd7: a successful cmpxchg's expected value := its read; add_unless: (read == u) := 0.
    if (i.op === 'cmpxchg') out.equal.push([compare.atom, read]);
    if (i.op === 'add_unless') out.equal.push([equals(read, compare.atom), constant(0)]);
    out.writes.set(wid, atom);
    written = { value: w.value, atom };
  } else if (i.op === 'cmpxchg') out.equal.push([equals(compare.atom, read), constant(0)]);
  else out.equal.push([read, compare.atom]);
  if (i.dst === undefined) return;
  const old: Held = { value: r.value, atom: read };
  let result =
    i.result === 'old'
      ? old
      : i.result === 'new'
        ? (written ?? old)
        : held(i.result === 'added' ? Number(written !== undefined) : 0);
  if (i.test) {
    const op = i.test === '==0' ? '==' : '<';
    const value = op === '==' ? Number(result.value === 0) : Number(result.value < 0);
    result = {
      value,
      atom: operate({ kind: 'binary', op, left: result.atom, right: constant(0) }),
    };
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

function atomOf(
  e: Expr,
  regs: Map<string, Held>,
  address: (name: string) => Value,
  operate: (o: Operation) => Atom,
): Atom {
  const sub = (x: Expr) => atomOf(x, regs, address, operate);
  switch (e.kind) {
    case 'const':
      return constant(e.value);
    case 'addr':
      return constant(address(e.loc));
    case 'reg':
      return regs.get(e.reg)?.atom ?? constant(address(e.reg));
    case 'unary':
      return operate({ kind: 'unary', op: e.op, arg: sub(e.arg) });
    case 'binary':
      return operate({ kind: 'binary', op: e.op, left: sub(e.left), right: sub(e.right) });
  }
}

function isComparison(e: Expr): boolean {
  return e.kind === 'binary' && COMPARISONS.has(e.op);
}

function held(value: Value): Held {
  return { value, atom: constant(value) };
}
