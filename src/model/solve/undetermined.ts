// The reads of an execution whose value nothing determines: a read takes the value of the
// write it reads from, a write the values of the reads its data dependencies come from (an
// arithmetic rmw's own read included), an initial write is a constant. A read from which that
// chain leads back into a cycle has no constant behind it. herd7 may still determine one
// (a successful cmpxchg equates its read with the value it expected): solve.ts looks closer;
// a read not listed here is determined for herd7 too.

import type { Execution } from '../core/execution.ts';

const UNKNOWN = 0;
const VISITING = 1;
const DETERMINED = 2;
const UNDETERMINED = 3;

export function undetermined(x: Execution): number[] {
  const { events, data, n } = x.sk;
  const source = new Int32Array(n).fill(-1);
  for (const [w, r] of x.rf.pairs()) source[r] = w;
  const from: number[][] = Array.from({ length: n }, () => []);
  for (const [r, w] of data.pairs()) from[w]!.push(r);
  const state = new Uint8Array(n);
  const determined = (e: number): boolean => {
    if (state[e] === VISITING) return false;
    if (state[e] !== UNKNOWN) return state[e] === DETERMINED;
    state[e] = VISITING;
    const ev = events[e]!;
    let ok = true;
    if (ev.dir === 'R' && ev.lock === undefined) ok = source[e]! < 0 || determined(source[e]!);
    else if (ev.dir === 'W') for (const d of from[e]!) ok = determined(d) && ok;
    state[e] = ok ? DETERMINED : UNDETERMINED;
    return ok;
  };
  const out: number[] = [];
  for (let e = 0; e < n; e++)
    if (events[e]!.dir === 'R' && events[e]!.lock === undefined && !determined(e)) out.push(e);
  return out;
}
