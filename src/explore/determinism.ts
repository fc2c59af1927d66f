// The explorer re-runs a scenario's code and must get the same run from the same answers: code
// that reads the host's clock or randomness directly would not. While a thread's code runs
// under the explorer, those calls are replaced by traps that refuse the scenario, naming the
// call and where the scenario made it. The kernel API's own time and randomness go through the
// CPU (CpuContext.time, prandom_u32_state), which the explorer answers deterministically.
// This module does not run code; it wraps a run.

import { UserError } from '../errors.ts';

/** The calls refused, by how the scenario writes them, with what to use instead. */
const TRAPS: readonly { name: string; owner: object; key: string; instead: string }[] = [
  { name: 'Date.now()', owner: Date, key: 'now', instead: 'ktime_get_ns()' },
  { name: 'Math.random()', owner: Math, key: 'random', instead: 'prandom_u32_state()' },
  { name: 'performance.now()', owner: performance, key: 'now', instead: 'ktime_get_ns()' },
  { name: 'process.hrtime()', owner: process, key: 'hrtime', instead: 'ktime_get_ns()' },
];

/** Run `body` with the host's clocks and randomness trapped; `file` is the scenario's module. */
export function deterministically<T>(what: string, file: string | undefined, body: () => T): T {
  const saved = TRAPS.map((t) => (t.owner as Record<string, unknown>)[t.key]);
  for (const t of TRAPS)
    (t.owner as Record<string, unknown>)[t.key] = () => {
      throw refusal(what, t.name, t.instead, file);
    };
  try {
    return body();
  } finally {
    TRAPS.forEach((t, i) => {
      (t.owner as Record<string, unknown>)[t.key] = saved[i];
    });
  }
}

function refusal(what: string, call: string, instead: string, file: string | undefined): UserError {
  const message = `${what} calls ${call}: code explored on the model must be deterministic given its reads (use ${instead}, which the explorer answers)`;
  const at = file ? callerIn(file) : undefined;
  return new UserError(message, at?.file, at && { line: at.line, col: at.col });
}

/** The first frame of the current stack in `file`: where the scenario made the call. */
function callerIn(file: string): { file: string; line: number; col: number } | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n')) {
    const m = /\(?((?:file:\/\/)?[^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!m) continue;
    const path = m[1]!.replace(/^file:\/\//, '');
    if (path === file || path.endsWith(file))
      return { file, line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}
