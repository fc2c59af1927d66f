// refcount: fget()/fput() on a shared struct file, with atomic_t and with a plain counter.
//
// The claim: a reference count must be changed with atomic read-modify-write operations. With
// plain `++`/`--` (or WRITE_ONCE(x, READ_ONCE(x) + 1), which is just as much a separate load
// and store) two CPUs that update the count at the same time lose one of the updates. A lost
// get makes a later put reach zero while the file is still in use: the release runs early (a
// use after free), and again at the real last put (a double free). A lost put leaves the count
// above zero forever: the release never runs (a leak). atomic_inc() / atomic_dec_and_test()
// make every update count, and exactly one put — the last — sees zero. No litmus test: this
// is about read-modify-write atomicity, which herd7's MP/SB shapes do not exercise; the kernel
// model forbids the lost update for atomic_inc (an rmw event) and allows it for the plain pair.
//
// Each race: the file starts with one reference (the owner's); two users each do ROUNDS
// get/put pairs; then the arbiter does the owner's final put and counts the releases.
//
// Result, 2026-11-24, AMD EPYC x86-64, 2 CPUs shared with other jobs (load average ~8), node
// 20.20.2, memory x86, `npm run scenario -- refcount` (1 s per variant):
//
//   Outcome                                         plain             once            atomic
//   released once, at the last put       3,985 acceptable 2,016 acceptable  1,664 acceptable
//   released early, while in use             0 interesting    0 interesting       0 forbidden
//   released twice or more (double free)     0 interesting    0 interesting       0 forbidden
//   never released (leak)                   63 interesting    0 interesting       0 forbidden
//   lost updates (counter)                             67                0                 0
//
// An earlier run on the same host showed all three failure modes of the plain counter (5 early
// releases, 48 double frees, 622 leaks in 12,336 races) and leaks in once (341 of 7,744): how
// often the two users overlap depends on the host's load; atomic is 0 in every run.

import {
  atomic_dec_and_test,
  atomic_inc,
  atomic_read,
  defineScenario,
  type int,
  plain_load,
  plain_store,
  READ_ONCE,
  WRITE_ONCE,
} from '../src/kernel/index.ts';

/** get/put pairs each user does per race. */
const ROUNDS = 200;
/** The same in the model instance: one pair each already loses updates. */
const MODEL_ROUNDS = 1;

const memory = {
  /** The reference count as atomic_t (variant atomic); the owner holds one reference. */
  refs: { type: 'atomic_t', init: 1 },
  /** The same count as a plain int (variants plain, once). */
  count: { type: 'int', init: 1 },
  /** How many times the release ran during the race (counted atomically, to count truly). */
  releases: 'atomic_t',
} as const;

/** `f_count++` / `if (--f_count == 0) release` through the given load and store. */
function plainRef(load: (x: int) => number, store: (x: int, v: number) => void) {
  return (m: { count: int }, onRelease: () => void) => {
    store(m.count, load(m.count) + 1);
    const left = load(m.count) - 1;
    store(m.count, left);
    if (left === 0) onRelease();
  };
}

const getPut = {
  plain: plainRef(plain_load, plain_store),
  once: plainRef(READ_ONCE, WRITE_ONCE),
};

export default defineScenario({
  name: 'refcount',
  description:
    'fget/fput: atomic_inc/atomic_dec_and_test vs plain ++/--: lost updates, early, double or no release',
  refs: [
    'fs/file.c: fget, fput (file_ref_get/file_ref_put in recent kernels)',
    'Documentation/atomic_t.txt',
  ],
  kind: 'iterations',
  memory,
  variants: {
    plain: 'f_count++ / --f_count as plain C accesses',
    once: 'WRITE_ONCE(f_count, READ_ONCE(f_count) ± 1): untorn, still not atomic',
    atomic: 'atomic_inc(&f_count) / atomic_dec_and_test(&f_count)',
  },
  threads: {
    user: {
      count: 2,
      run(cpu, m, variant) {
        const rounds = cpu.instance === 'model' ? MODEL_ROUNDS : ROUNDS;
        const release = () => atomic_inc(m.releases);
        if (variant === 'atomic') {
          for (let n = 0; n < rounds; n++) {
            atomic_inc(m.refs);
            if (atomic_dec_and_test(m.refs)) release();
          }
        } else {
          const pair = getPut[variant];
          for (let n = 0; n < rounds; n++) pair(m, release);
        }
      },
    },
  },
  arbiter(m, _r, variant, cpu) {
    const before = variant === 'atomic' ? atomic_read(m.refs) : READ_ONCE(m.count);
    cpu.count('lost updates', Math.abs(before - 1));
    // The owner's fput(): the release runs if it takes the count from 1 to 0.
    const releases = atomic_read(m.releases) + (before === 1 ? 1 : 0);
    if (releases === 0) return 'never released (leak)';
    if (releases > 1) return 'released twice or more (double free)';
    return before === 1 ? 'released once, at the last put' : 'released early, while in use';
  },
  outcomes: {
    'released once, at the last put': 'acceptable',
    'released early, while in use': {
      plain: 'interesting',
      once: 'interesting',
      atomic: 'forbidden',
    },
    'released twice or more (double free)': {
      plain: 'interesting',
      once: 'interesting',
      atomic: 'forbidden',
    },
    'never released (leak)': { plain: 'interesting', once: 'interesting', atomic: 'forbidden' },
  },
  metrics: { 'lost updates': 'counter' },
  budget: { seconds: 1, batch: 16 },
  model: {
    description: "two users, one get/put pair each, against the owner's reference",
    // plain_load/plain_store above are the plain variant's alone (checked on every run)
    plainFree: ['once', 'atomic'],
  },
});
