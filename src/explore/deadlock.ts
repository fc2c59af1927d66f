// A deadlock the explorer found (explore.ts Deadlock), as plain data for the record and the
// text: each waiting CPU, what it waits on and where in the scenario's source. The exploration
// keeps no call sites; each waiting CPU's run is replayed here with its answers, up to the
// question it waits at, asking the stack there (call-site.ts), as --explain does for a witness.
//
// This module finds nothing: it tells what the search found.

import type { Scenario } from '../kernel/scenario.ts';
import type { Tracer } from '../memory/explore.ts';
import { type CallSite, callSite, siteFile } from './call-site.ts';
import type { Deadlock } from './explore.ts';
import type { VariantVerdict } from './scenario.ts';
import { replay } from './thread.ts';

/** One CPU waiting for good. */
export interface DeadlockedThread {
  thread: string;
  /** `spin_lock(b), held by p1`, `an await reading flag: 0, the last value, does not let it out`. */
  waits: string;
  /** The kernel API call it waits in and its line in the scenario's source, when known. */
  call?: string;
  file?: string;
  line?: number;
}

export interface ModelDeadlock {
  threads: DeadlockedThread[];
  /** The CPUs that finished before the others stopped for good. */
  finished: string[];
}

/** The deadlock `d` of variant `v`, told. */
export function deadlockOf(s: Scenario, v: VariantVerdict, d: Deadlock): ModelDeadlock {
  const name = (th: number) => s.threads[th]!.name;
  const loc = (l: number) => v.space.locations[l]?.name ?? `location ${l}`;
  return {
    threads: d.threads.map((b) => {
      const waits =
        b.on.kind === 'lock'
          ? `spin_lock(${loc(b.on.loc)}), held by ${b.holder === b.thread ? 'itself' : name(b.holder!)}`
          : `an await reading ${loc(b.on.loc)}: ${b.value}, its last value, does not let it out`;
      const site = waitSite(v, b.thread, b.answers);
      return {
        thread: name(b.thread),
        waits,
        ...(site && { call: site.call, file: siteFile(s.file, site), line: site.line }),
      };
    }),
    finished: d.finished.map(name),
  };
}

/** Where thread `th`'s run with `answers` stops to wait: the call site of its last question. */
function waitSite(v: VariantVerdict, th: number, answers: number[]): CallSite | undefined {
  let site: CallSite | undefined;
  // Every method named (a replay's Tracer is a class: its methods are not own properties).
  const watching = (t: Tracer): Tracer => ({
    loc: (cell) => t.loc(cell),
    loc64: (j) => t.loc64(j),
    choose: (n, what) => t.choose(n, what),
    emit: (e) => t.emit(e),
    pair: (r, w, data) => t.pair(r, w, data),
    pass: (what, pure) => t.pass(what, pure),
    wide: (v) => t.wide(v),
    unwide: (id) => t.unwide(id),
    value: (l) => {
      site = callSite('READ_ONCE');
      return t.value(l);
    },
    held: (l) => {
      site = callSite('spin_is_locked');
      return t.held(l);
    },
    lock: (l, attempt) => {
      site = callSite('spin_lock');
      t.lock(l, attempt);
    },
  });
  replay((t) => v.program.run(th, watching(t)), answers, {
    thread: th,
    space: v.program.space,
    loopBound: Number.MAX_SAFE_INTEGER,
  });
  return site;
}

/** `p0, p1 wait for good`, `waiter waits for good`. */
export function whoWaits(d: ModelDeadlock): string {
  const names = d.threads.map((t) => t.thread);
  return `${names.join(', ')} wait${names.length === 1 ? 's' : ''} for good`;
}
