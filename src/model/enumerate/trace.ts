// Running one thread: every trace of it (events.ts says what a trace is). Reads take each
// value of their location's domain in turn, and a branch follows the value its condition
// computes (or, while value domains are computed, both sides: values.ts). rmw and lock
// instructions are in atomic.ts.

import type { Instr, Test, Thread } from '../../litmus/ir.ts';
import type { Trace, ValueDomains } from '../core/events.ts';
import { execLock, execRmw } from './atomic.ts';
import {
  choices,
  copyState,
  emit,
  evalIn,
  type Go,
  initialState,
  type Run,
  resolve,
  type State,
  setReg,
  taintOf,
  union,
  writeAncestry,
} from './thread-state.ts';

/** Every trace of a thread, reads taking values from the domains. */
export function threadTraces(
  test: Test,
  thread: Thread,
  domains: ValueDomains,
  tick: () => void,
): Trace[] {
  const out: Trace[] = [];
  exec({ test, domains, allPaths: false, out, tick }, thread.body, 0, initialState(thread));
  return out;
}

/**
 * Where to go on when an arm of an `if` ends: the code after the `if`, and the control
 * dependencies in force there. As in herd7 (and explanation.txt), a control dependency reaches
 * the events inside the arms only, not those after the `if`.
 */
type Continuation = { body: Instr[]; k: number; ctrl: number[] };

/** One place a trace is at: the code left in its body, its state, the code after enclosing branches. */
type Frame = { body: Instr[]; k: number; s: State | (() => State); rest: Continuation[] };

/**
 * Run body[k..] then the continuations `rest` (the code after enclosing branches), every
 * trace of it. A worklist, not recursion: a thread of thousands of statements must not
 * exhaust the call stack. Frames are taken depth first and each instruction's successors in
 * the order it produced them, so traces come out in the order a recursive walk gives.
 */
export function exec(
  run: Run,
  body: Instr[],
  k: number,
  s: State,
  rest: Continuation[] = [],
): void {
  const work: Frame[] = [{ body, k, s, rest }];
  for (let frame = work.pop(); frame; frame = work.pop()) {
    const next: Frame[] = [];
    step(run, frame, next);
    for (let i = next.length - 1; i >= 0; i--) work.push(next[i]!);
  }
}

/** Run one instruction of `frame`; the frames it leads to go to `next`, in order. */
function step(run: Run, frame: Frame, next: Frame[]): void {
  run.tick();
  const { body, k, rest } = frame;
  const s = typeof frame.s === 'function' ? frame.s() : frame.s;
  if (k === body.length) {
    const after = rest[rest.length - 1];
    if (after) {
      s.ctrlTaint = after.ctrl;
      next.push({ body: after.body, k: after.k, s, rest: rest.slice(0, -1) });
      return;
    }
    s.trace.regs = s.regs;
    run.out.push(s.trace);
    return;
  }
  const instr = body[k]!;
  const go: Go = (st) => {
    next.push({ body, k: k + 1, s: st, rest });
  };
  switch (instr.kind) {
    case 'assign':
      setReg(s, instr.dst, evalIn(run.test, s, instr.value), taintOf(s, instr.value));
      go(s);
      return;
    case 'branch': {
      const cond = evalIn(run.test, s, instr.cond) !== 0;
      const after: Continuation = { body, k: k + 1, ctrl: s.ctrlTaint };
      s.ctrlTaint = union(s.ctrlTaint, taintOf(s, instr.cond));
      const sides = run.allPaths ? [true, false] : [cond];
      for (const side of sides) {
        const st = sides.length > 1 ? copyState(s) : s;
        next.push({ body: side ? instr.then : instr.else, k: 0, s: st, rest: [...rest, after] });
      }
      return;
    }
    case 'fence': {
      // synchronize_srcu() names its srcu_struct; the event stays a fence (loc -1).
      const target = instr.addr && resolve(run, s, instr.addr, instr);
      if (instr.addr && !target) return;
      const srcu = target ? { srcu: target[0] } : {};
      emit(s, { dir: 'F', loc: -1, value: 0, annot: instr.annot, instr, ...srcu }, target?.[1]);
      go(s);
      return;
    }
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

function execLoad(run: Run, instr: Extract<Instr, { kind: 'load' }>, s: State, go: Go): void {
  const target = resolve(run, s, instr.addr, instr);
  if (!target) return;
  const [loc, addrTaint] = target;
  for (const { value: v, ancestry } of choices(run, loc)) {
    go(() => {
      const st = copyState(s);
      const r = emit(
        st,
        { dir: 'R', loc, value: v, annot: instr.annot, instr, ancestry },
        addrTaint,
      );
      setReg(st, instr.dst, v, [r]);
      return st;
    });
  }
}

function execStore(run: Run, instr: Extract<Instr, { kind: 'store' }>, s: State, go: Go): void {
  const target = resolve(run, s, instr.addr, instr);
  if (!target) return;
  const [loc, addrTaint] = target;
  const v = evalIn(run.test, s, instr.value);
  const taint = taintOf(s, instr.value);
  const ancestry = writeAncestry(run, s, instr, taint);
  const w = emit(s, { dir: 'W', loc, value: v, annot: instr.annot, instr, ancestry }, addrTaint);
  for (const r of taint) s.trace.data.push([r, w]);
  go(s);
}
