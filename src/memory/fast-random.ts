// A seeded generator for the hot paths that draw a choice per access or per instance (the weak
// CPU's stale reads and store placement, the order a thread runs an instance in): Marsaglia's
// xorshift32 with a multiply on the output (xorshift32*, so that the low bits are as good as the
// high ones: callers take `r & 1`). Its state is one cell of an Int32Array, so a draw is a few
// integer operations and allocates nothing; the kernel's prandom (random.ts) keeps four u32 words
// in an object, which V8 boxes once they pass 2^30 — half the cost of a weak access, measured.
// Same seed, same sequence, on every host. Not for scenarios: they ask for the kernel's prandom.

export class FastRandom {
  /** The generator's state: code compiled for the weak CPU draws from it in place (next's steps). */
  readonly state = new Int32Array(1);

  /** seed: a non-negative safe integer (scrambled, so that neighbouring seeds part at once). */
  constructor(seed: number) {
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x27d4eb2d);
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
    s ^= s >>> 16;
    this.state[0] = s === 0 ? 0x6d2b79f5 : s;
  }

  /** The next u32 of the sequence. */
  next(): number {
    const st = this.state;
    let x = st[0]!;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    st[0] = x;
    return Math.imul(x, MULTIPLIER) >>> 0;
  }
}

const MULTIPLIER = 0x2545f491;

/**
 * next() as statements of generated code (the weak CPU's compiled accesses draw in place):
 * they step the state `state[0]` and leave the draw, as a signed int32 (next()'s bits), in
 * a new variable `x`; `x >>> 0` is next()'s value.
 */
export function nextStatements(state: string, indent: string): string[] {
  return [
    `let x = ${state}[0];`,
    'x ^= x << 13;',
    'x ^= x >>> 17;',
    'x ^= x << 5;',
    `${state}[0] = x;`,
    `x = Math.imul(x, ${MULTIPLIER});`,
  ].map((l) => indent + l);
}
