// Toy scenarios the kernel lock tests run on real worker threads (loaded by export name with
// loadScenarioFile). Each one's forbidden outcome is what the lock exists to prevent; a lock
// that fails to let threads in shows up as a watchdog stall, which is forbidden too.

import {
  cond_resched_rwlock_write,
  cpu_relax,
  defineScenario,
  plain_load,
  plain_store,
  READ_ONCE,
  read_lock,
  read_seqbegin,
  read_seqretry,
  read_unlock,
  rwlock_needbreak,
  spin_lock,
  spin_unlock,
  u64_load_halves,
  u64_store_halves,
  WRITE_ONCE,
  write_lock,
  write_seqlock,
  write_sequnlock,
  write_unlock,
} from '../../src/kernel/index.ts';

/** Increments per thread per race. */
export const ROUNDS = 300;
/** Threads of the exclusion scenarios (more than the 2 cores: holders get preempted). */
export const THREADS = 3;

/** N threads increment a plain counter under the lock: the total is exact or an update was lost. */
export const spinlockExclusion = defineScenario({
  name: 'spinlock-exclusion',
  description: 'plain counter++ under spin_lock by every thread',
  kind: 'iterations',
  memory: { lock: 'spinlock_t', counter: 'int' },
  variants: { locked: 'spin_lock around counter++' },
  threads: {
    cpu: {
      count: THREADS,
      run(_cpu, m) {
        for (let n = 0; n < ROUNDS; n++) {
          spin_lock(m.lock);
          plain_store(m.counter, plain_load(m.counter) + 1);
          spin_unlock(m.lock);
        }
      },
    },
  },
  arbiter: (m) => (READ_ONCE(m.counter) === THREADS * ROUNDS ? 'total exact' : 'update lost'),
  outcomes: { 'total exact': 'acceptable', 'update lost': 'forbidden' },
  budget: { batch: 2, stallSeconds: 5 },
});

/**
 * Writers increment two fields under write_lock; readers read both under read_lock: the total is
 * exact (writers alone with each other) and no reader sees a half-done update (nor with readers).
 */
export const rwlockExclusion = defineScenario({
  name: 'rwlock-exclusion',
  description: 'writers a++, b++ under write_lock; readers compare a and b under read_lock',
  kind: 'iterations',
  memory: { lock: 'rwlock_t', a: 'int', b: 'int' },
  variants: { locked: 'write_lock for writers, read_lock for readers' },
  threads: {
    writer: {
      count: 2,
      run(_cpu, m) {
        for (let n = 0; n < ROUNDS; n++) {
          write_lock(m.lock);
          plain_store(m.a, plain_load(m.a) + 1);
          plain_store(m.b, plain_load(m.b) + 1);
          write_unlock(m.lock);
        }
      },
    },
    reader(_cpu, m) {
      let torn = 0;
      for (let n = 0; n < ROUNDS; n++) {
        read_lock(m.lock);
        if (READ_ONCE(m.a) !== READ_ONCE(m.b)) torn++;
        read_unlock(m.lock);
      }
      return torn;
    },
  },
  arbiter(m, r) {
    if (r.reader![0]! > 0) return 'reader saw a half-done update';
    return READ_ONCE(m.a) === 2 * ROUNDS && READ_ONCE(m.b) === 2 * ROUNDS
      ? 'total exact'
      : 'update lost';
  },
  outcomes: {
    'total exact': 'acceptable',
    'update lost': 'forbidden',
    'reader saw a half-done update': 'forbidden',
  },
  budget: { batch: 2, stallSeconds: 5 },
});

/**
 * Two readers hold the read lock at the same time: each takes it, says so, and waits — still
 * holding it — for the other to say so. If readers excluded each other this would never end
 * (the watchdog's stall is forbidden), so finishing proves they were inside together.
 */
export const readersTogether = defineScenario({
  name: 'readers-together',
  description: 'reader A holds read_lock until reader B is inside too, and B likewise',
  kind: 'iterations',
  memory: { lock: 'rwlock_t', inside: { type: 'int', length: 2 } },
  variants: { shared: 'two readers' },
  threads: {
    reader: {
      count: 2,
      run(cpu, m) {
        read_lock(m.lock);
        WRITE_ONCE(m.inside[cpu.id]!, 1);
        // Wait, holding the read lock, for the other reader's "inside" store.
        while (READ_ONCE(m.inside[1 - cpu.id]!) === 0) cpu_relax();
        read_unlock(m.lock);
      },
    },
  },
  arbiter: () => 'both readers inside together',
  outcomes: { 'both readers inside together': 'acceptable' },
  budget: { batch: 4, stallSeconds: 5 },
});

/**
 * A writer holding the lock waits until rwlock_needbreak() says a reader waits, then yields with
 * cond_resched_rwlock_write() until the reader has been in: a lock that never told the writer,
 * or never let the reader in during the break, stalls (forbidden).
 */
export const needbreakYield = defineScenario({
  name: 'needbreak-yield',
  description:
    'writer sees rwlock_needbreak() and lets the waiting reader in with cond_resched_rwlock_write()',
  kind: 'iterations',
  memory: { lock: 'rwlock_t', writerIn: 'int', readerIn: 'int' },
  variants: { yield: 'cond_resched_rwlock_write until the reader has been in' },
  threads: {
    writer(cpu, m) {
      write_lock(m.lock);
      WRITE_ONCE(m.writerIn, 1);
      // Wait for the reader to queue on the lock (it holds wait_lock while it waits).
      while (!rwlock_needbreak(m.lock)) cpu_relax();
      let yields = 0;
      // Yield until the reader got in during one of the breaks.
      while (READ_ONCE(m.readerIn) === 0) if (cond_resched_rwlock_write(m.lock)) yields++;
      write_unlock(m.lock);
      cpu.count('yields', yields);
      return yields;
    },
    reader(_cpu, m) {
      // Start only once the writer holds the lock, so that the reader must wait for it.
      while (READ_ONCE(m.writerIn) === 0) cpu_relax();
      read_lock(m.lock);
      WRITE_ONCE(m.readerIn, 1);
      read_unlock(m.lock);
    },
  },
  arbiter: (_m, r) => (r.writer![0]! > 0 ? 'reader let in by a yield' : 'no yield needed'),
  outcomes: { 'reader let in by a yield': 'acceptable', 'no yield needed': 'forbidden' },
  metrics: { yields: 'counter' },
  budget: { batch: 4, stallSeconds: 5 },
});

/** A pattern whose two halves are equal: a torn read has different halves. */
const pattern = (k: number) => (BigInt(k) << 32n) | BigInt(k);

/**
 * A writer stores a u64 as two 32-bit halves (torn on its own) under write_seqlock; readers
 * read the halves in a read_seqbegin/read_seqretry loop: no returned value is torn.
 */
export const seqlockTorn = defineScenario({
  name: 'seqlock-torn',
  description: 'u64 written as halves under write_seqlock, read in a read_seqbegin/retry loop',
  kind: 'iterations',
  memory: { sl: 'seqlock_t', value: 'u64' },
  variants: { seqlock: 'seqlock around the two halves' },
  threads: {
    writer(_cpu, m) {
      for (let k = 1; k <= ROUNDS; k++) {
        write_seqlock(m.sl);
        u64_store_halves(m.value, pattern(k));
        write_sequnlock(m.sl);
      }
    },
    reader: {
      count: 2,
      run(_cpu, m) {
        let torn = 0;
        let retries = 0;
        for (let n = 0; n < ROUNDS; n++) {
          let v: bigint;
          let seq: number;
          do {
            seq = read_seqbegin(m.sl);
            v = u64_load_halves(m.value);
          } while (read_seqretry(m.sl, seq) && ++retries);
          if (v >> 32n !== (v & 0xffffffffn)) torn++;
        }
        return [torn, retries];
      },
    },
  },
  arbiter(_m, r, _v, cpu) {
    cpu.count('retries', r.reader0![1]! + r.reader1![1]!);
    return r.reader0![0]! + r.reader1![0]! > 0
      ? 'reader returned a torn value'
      : 'every read whole';
  },
  outcomes: { 'every read whole': 'acceptable', 'reader returned a torn value': 'forbidden' },
  metrics: { retries: 'counter' },
  budget: { batch: 2, stallSeconds: 5 },
});
