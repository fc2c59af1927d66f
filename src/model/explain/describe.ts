// How --explain and --ablate name things: an instruction by its kernel macro (looked up in
// the macro table, so a new macro needs nothing here) and its place in the file; an event as
// herd7 prints it (`P0 W x=1`) with the macro that made it.

import type { Instr, Test } from '../../litmus/ir.ts';
import { MACROS } from '../../litmus/macros.ts';
import { formatValue } from '../../litmus/state.ts';
import type { Event } from '../core/execution.ts';

/** The kernel macro an instruction comes from: `smp_mb`, `READ_ONCE`, `xchg_relaxed`, ... */
export function macroName(instr: Instr): string {
  for (const [name, row] of Object.entries(MACROS)) {
    if (row.event !== instr.kind) continue;
    if (instr.kind === 'fence' && row.event === 'fence' && row.annot === instr.annot) return name;
    if (
      (instr.kind === 'load' || instr.kind === 'store') &&
      'annot' in row &&
      row.annot === instr.annot
    ) {
      if (row.event === 'store' && row.fence) continue; // smp_store_mb is a store and a fence
      return name;
    }
    if (instr.kind === 'rmw' && row.event === 'rmw') {
      if (
        row.op === instr.op &&
        row.annot === instr.annot &&
        row.result === instr.result &&
        row.test === instr.test
      )
        return name;
    }
    if (
      instr.kind === 'lock' ||
      instr.kind === 'unlock' ||
      instr.kind === 'trylock' ||
      instr.kind === 'islocked'
    )
      return name;
  }
  if (instr.kind === 'load') return 'plain read';
  if (instr.kind === 'store') return 'plain write';
  return instr.kind;
}

/** `smp_mb() at 6:2` */
export function instrAt(instr: Instr): string {
  const call =
    instr.kind === 'load' || instr.kind === 'store' ? macroName(instr) : `${macroName(instr)}()`;
  return `${call} at ${instr.pos.line}:${instr.pos.col}`;
}

/** How an explanation names events: a litmus test's by their instructions, a scenario's by its calls. */
export interface EventNaming {
  /** `W x=1`, `R y=0`, `LKW s`, `F`. */
  what(e: Event): string;
  /** Where it comes from: `WRITE_ONCE at 6:2`, `smp_mb() at 7:2`; an initial write: `initial value`. */
  at(e: Event): string;
  /** The fence a po edge passes: `smp_wmb`. */
  fence(e: Event): string;
  /** `P0`. */
  thread(t: number): string;
}

/** A litmus test's events: its locations, values and instructions. */
export function litmusNaming(test: Test): EventNaming {
  return {
    what: (e) => {
      const loc = e.loc >= 0 ? test.locations[e.loc]!.name : '';
      if (e.lock) return `${e.lock} ${loc}`;
      return e.dir === 'F' ? 'F' : `${e.dir} ${loc}=${formatValue(test, e.value)}`;
    },
    at: (e) => (e.thread < 0 ? 'initial value' : instrAt(e.instr)),
    fence: (e) => macroName(e.instr),
    thread: (t) => `P${t}`,
  };
}

/** `P0 W x=1 (WRITE_ONCE at 6:2)`, or `init W x=0` for an initial write. */
export function eventName(test: Test, e: Event): string {
  return namedEvent(litmusNaming(test), e);
}

/** An event as `eventName` says it, by any naming. */
export function namedEvent(naming: EventNaming, e: Event): string {
  if (e.thread < 0) return `init ${naming.what(e)}`;
  return `${naming.thread(e.thread)} ${naming.what(e)} (${naming.at(e)})`;
}
