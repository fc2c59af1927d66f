// Thread-to-CPU placement of a litmus run's workers: `os` leaves every worker where the
// operating system puts it (and moves it); `pinned` binds worker i to the i-th CPU this process
// may use, as litmus7's -affinity incr1 does, so that the test's threads never share a CPU or
// migrate mid-batch. Node has no affinity call, so a worker pins its own thread with taskset(1)
// on its Linux thread id (/proc/thread-self). Linux only, Node only: a browser cannot pin its
// workers, and the planner refuses `pinned` there. The knob's values are in knobs.ts (this module
// is Node's alone: it must not reach the browser's bundle).
// This module runs in a CPU worker (workers/litmus-cpu.ts, workers/stress-cpu.ts).

import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';

/** The CPUs this process may run on (Cpus_allowed_list of /proc/self/status, e.g. `0-3,8`). */
export function allowedCpus(status = readFileSync('/proc/self/status', 'utf8')): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1];
  if (!list) throw new Error('placement pinned: /proc/self/status has no Cpus_allowed_list');
  return list.split(',').flatMap((part) => {
    const [lo, hi = lo] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: hi! - lo + 1 }, (_, i) => lo + i);
  });
}

/**
 * Bind the calling thread to the `index`-th allowed CPU (modulo their number); the CPU it got.
 * An Error saying why when this system cannot (not Linux, no taskset).
 */
export function pinThisThread(index: number): number {
  let tid: string;
  try {
    tid = readlinkSync('/proc/thread-self').split('/').pop()!;
  } catch {
    throw new Error('placement pinned needs Linux (/proc/thread-self): use --placement os');
  }
  const cpus = allowedCpus();
  const cpu = cpus[index % cpus.length]!;
  try {
    execFileSync('taskset', ['-p', '-c', String(cpu), tid], { stdio: 'ignore' });
  } catch (e) {
    throw new Error(
      `placement pinned: taskset -p -c ${cpu} ${tid} failed (${(e as Error).message.split('\n')[0]}); install util-linux or use --placement os`,
    );
  }
  return cpu;
}
