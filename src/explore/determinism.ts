// The explorer re-runs a scenario's code and must get the same run from the same answers: code
// that reads the host's clock or randomness directly would not. While a thread's code runs
// under the explorer, every such call it can reach is replaced by a trap that refuses the
// scenario, naming the call and where the scenario made it; on every way out of the run
// (a return, a question, an exception) the host's own functions are put back as they were. The
// kernel API's own time and randomness go through the CPU (CpuContext.time,
// prandom_u32_state), which the explorer answers deterministically. What no trap catches (state
// the code keeps between runs, a clock reached another way) thread.ts's replays catch when it
// changes the run: NotDeterministic, which deterministically() names the thread in.
//
// The explorer runs on Node (its workers are piscina's), so the traps are Node's globals and
// modules; a row whose object the host lacks is skipped. A named or namespace import of
// node:crypto's functions (`import { randomBytes } from 'node:crypto'`) is an ESM binding that
// only syncBuiltinESMExports() would update, at ~23 µs a call, twice per replay: not trapped
// (the replay check remains); the module's default export (`import crypto from 'node:crypto'`)
// is. performance.timeOrigin is not trapped: it is one value for the whole process. Nor are
// clocks read on the host's behalf (an Intl formatter given no date, an Event's timeStamp).
//
// This module does not run code; it wraps a run.

import nodeCrypto from 'node:crypto';
import os from 'node:os';
import { UserError } from '../errors.ts';
import { callSite } from './call-site.ts';
import { scenarioThrew } from './scenario-threw.ts';

const CLOCK = 'ktime_get_ns()';
const RANDOM = 'prandom_u32_state()';

/**
 * Code explored that is not deterministic given its reads, found by the replay (thread.ts):
 * deterministically() adds which scenario and thread.
 */
export class NotDeterministic extends UserError {}

/** The run being trapped: what it is (`scenario X, thread Y`), and the first refusal made. */
interface Running {
  what: string;
  file: string | undefined;
  refused?: UserError;
}
let running: Running | undefined;
/** Runs wrapped so far: thread.ts runs twice now and then only code that ran wrapped. */
let wrapped = 0;
export const scenarioRunsSoFar = (): number => wrapped;

/** A trap that refuses `call`, naming what to use instead. */
const refuser = (call: string, instead: string) =>
  function refused(): never {
    throw refusal(call, instead);
  };

/** Date, wrapped: `new Date(ms)` and Date.UTC still work; `new Date()` and `Date()` are refused. */
const DATE_TRAP: ProxyHandler<DateConstructor> = {
  construct(target, args, newTarget) {
    if (args.length === 0) throw refusal('new Date()', CLOCK);
    return Reflect.construct(target, args, newTarget);
  },
  apply() {
    throw refusal('Date()', CLOCK);
  },
};

/** process.hrtime and its .bigint, both refused. */
const HRTIME_TRAP = Object.assign(refuser('process.hrtime()', CLOCK), {
  bigint: refuser('process.hrtime.bigint()', CLOCK),
});

/**
 * One trapped property: `key` of `on`, or of the prototype that holds it (performance.now is
 * Performance.prototype's), replaced by `trap` while a run lasts and put back by value after.
 */
interface Trap {
  holder: Record<string, unknown>;
  key: string;
  trap: unknown;
}

/**
 * `on`'s `key` refused as `call`; `trap`: a replacement other than a function that refuses. A
 * property that is not a writable data property (every one is on Node) is skipped, as an object
 * the host lacks is: the replay check remains.
 */
function row(
  on: object | undefined,
  key: string,
  call: string,
  instead: string,
  trap: unknown = refuser(call, instead),
): Trap[] {
  let holder = on;
  while (holder && !Object.hasOwn(holder, key)) holder = Object.getPrototypeOf(holder);
  if (!holder || Object.getOwnPropertyDescriptor(holder, key)?.writable !== true) return [];
  return [{ holder: holder as Record<string, unknown>, key, trap }];
}

/** Every host source of time and randomness a scenario's code can reach, by how it writes it. */
const TRAPS: readonly Trap[] = [
  row(globalThis, 'Date', 'new Date()', CLOCK, new Proxy(Date, DATE_TRAP)),
  row(Date, 'now', 'Date.now()', CLOCK),
  row(globalThis.performance, 'now', 'performance.now()', CLOCK),
  row(globalThis.performance, 'mark', 'performance.mark()', CLOCK),
  row(globalThis.performance, 'measure', 'performance.measure()', CLOCK),
  row(process, 'hrtime', 'process.hrtime()', CLOCK, HRTIME_TRAP),
  row(process, 'uptime', 'process.uptime()', CLOCK),
  row(process, 'cpuUsage', 'process.cpuUsage()', CLOCK),
  row(process, 'resourceUsage', 'process.resourceUsage()', CLOCK),
  row(os, 'uptime', 'os.uptime()', CLOCK),
  row(Math, 'random', 'Math.random()', RANDOM),
  // node:crypto's getRandomValues and webcrypto reach these through the same object
  row(globalThis.crypto, 'getRandomValues', 'crypto.getRandomValues()', RANDOM),
  row(globalThis.crypto, 'randomUUID', 'crypto.randomUUID()', RANDOM),
  row(nodeCrypto, 'randomBytes', 'crypto.randomBytes()', RANDOM),
  row(nodeCrypto, 'randomFillSync', 'crypto.randomFillSync()', RANDOM),
  row(nodeCrypto, 'randomFill', 'crypto.randomFill()', RANDOM),
  row(nodeCrypto, 'randomInt', 'crypto.randomInt()', RANDOM),
  row(nodeCrypto, 'randomUUID', 'crypto.randomUUID()', RANDOM),
].flat();

/**
 * Run `body` with the host's clocks and randomness trapped; `what` names the run in a refusal
 * (`scenario X, thread Y`), `file` is the scenario's module (where a refusal points when no
 * frame of the stack is the scenario's). A refusal the code catches is still the run's refusal.
 */
export function deterministically<T>(what: string, file: string | undefined, body: () => T): T {
  wrapped++;
  const outer = running;
  const run: Running = { what, file };
  running = run;
  // nested (code that explores inside a run): the traps are in place already
  const saved = outer ? undefined : install();
  try {
    const result = body();
    if (run.refused) throw run.refused;
    return result;
  } catch (e) {
    if (run.refused) throw run.refused;
    if (e instanceof NotDeterministic) throw new UserError(`${what}: ${e.message}`, e.file, e.pos);
    throw scenarioThrew(what, e) ?? e;
  } finally {
    if (saved) restore(saved);
    running = outer;
  }
}

/** Each trapped property's own value, in TRAPS' order, the traps in their place. */
function install(): unknown[] {
  return TRAPS.map((t) => {
    const own = t.holder[t.key];
    t.holder[t.key] = t.trap;
    return own;
  });
}

function restore(saved: unknown[]): void {
  TRAPS.forEach((t, i) => {
    t.holder[t.key] = saved[i];
  });
}

/** The refusal of `call` where the scenario made it (the first frame outside smplab's code). */
function refusal(call: string, instead: string): UserError {
  const what = running?.what ?? 'code explored on the model';
  const message = `${what} calls ${call}: code explored on the model must be deterministic given its reads (use ${instead}, which the explorer answers)`;
  const at = callSite(call);
  const e = at
    ? new UserError(message, at.file, { line: at.line, col: at.col })
    : new UserError(message, running?.file);
  if (running) running.refused ??= e;
  return e;
}
