// Seeded pseudo-random numbers, as the kernel's prandom (include/linux/prandom.h,
// lib/random32.c): a caller-owned `struct rnd_state` of four 32-bit words, seeded once, stepped
// by a combined Tausworthe generator (L'Ecuyer's LFSR113: four shift-register generators
// XORed, period about 2^113). Same seed, same sequence, on every host: a scenario seeds one
// per thread so that what it asks for (which gfn, how long a pause) can be run again.
// This is not a source of entropy (get_random_u32()) and the state is not shared memory: it
// belongs to one thread, as the kernel's on-stack rnd_state belongs to one caller.

/** struct rnd_state: the generator's four words (u32 each; a seeded state has s1 ≥ 2, s2 ≥ 8, s3 ≥ 16, s4 ≥ 128). */
export interface rnd_state {
  s1: number;
  s2: number;
  s3: number;
  s4: number;
}

/** __seed(x, m): each word must keep bits above its generator's discarded low bits (x ≥ m). */
function seedWord(x: number, m: number): number {
  return x < m ? x + m : x;
}

/**
 * prandom_seed_state(state, seed): seed all four words from one u64 seed (folded to 32 bits
 * as the kernel does: (seed >> 32) ^ (seed << 10) ^ seed). JS: seed is a non-negative safe
 * integer, split into its high and low 32 bits
 */
export function prandom_seed_state(state: rnd_state, seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new RangeError(`prandom_seed_state: seed ${seed} is not a non-negative integer`);
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const i = (hi ^ (lo << 10) ^ lo) >>> 0;
  state.s1 = seedWord(i, 2);
  state.s2 = seedWord(i, 8);
  state.s3 = seedWord(i, 16);
  state.s4 = seedWord(i, 128);
}

/** One Tausworthe step of word `s`: ((s & c) << d) ^ (((s << a) ^ s) >> b), all u32. */
function tausworthe(s: number, a: number, b: number, c: number, d: number): number {
  return (((s & c) << d) ^ (((s << a) ^ s) >>> b)) >>> 0;
}

/**
 * prandom_u32_state(state): the next u32 of the sequence, stepping all four words.
 * JS: 32-bit shifts and XORs, >>> 0 to read the result as unsigned
 */
export function prandom_u32_state(state: rnd_state): number {
  state.s1 = tausworthe(state.s1, 6, 13, 0xfffffffe, 18);
  state.s2 = tausworthe(state.s2, 2, 27, 0xfffffff8, 2);
  state.s3 = tausworthe(state.s3, 13, 21, 0xfffffff0, 7);
  state.s4 = tausworthe(state.s4, 3, 12, 0xffffff80, 13);
  return (state.s1 ^ state.s2 ^ state.s3 ^ state.s4) >>> 0;
}
