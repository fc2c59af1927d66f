// rcu-call-rcu-free: an object replaced under RCU and freed with call_rcu() while readers may
// still hold it.
//
// The claim: an updater that publishes a new version with rcu_assign_pointer() and hands the
// old one to call_rcu() frees it only after a grace period, so a reader that found it under
// rcu_read_lock() can use it to the end of its critical section: no use after free. A reader
// that does the same without rcu_read_lock() is not waited for: the callback may free the
// object under it.
//
// The story is the kernel's most common RCU pattern (a routing entry, a struct file's f_cred,
// a task's credentials): readers do p = rcu_dereference(gp) and read p's fields; the updater
// does rcu_assign_pointer(gp, new); call_rcu(&old->rcu, free_old). Here the objects are slots
// of a pool: `state[k]` is LIVE while slot k is published or may still be read, FREED once the
// callback ran; the updater reuses a slot only after its callback returned it.
//
// Callbacks run on the CPU that queued them (the kernel's per-CPU lists, from softirq): here at
// any of the updater's kernel calls after the grace period, at the latest its rcu_barrier()
// (src/kernel/rcu.ts). The model instance replaces the object twice, so that the first
// callback may run anywhere in the second replacement.
// The grace period is the memory object's (src/memory/rcu.ts: per-CPU reader words and a
// grace-period counter on hw; on weak also the views a grace period passes on).
//
// Result (2026-12-07 13:18 UTC, x86_64 Intel Xeon, 2 CPUs shared with other jobs, load
// average ~17, node 20.20.2, 2 s per variant; `npm run scenario -- rcu-call-rcu-free`, then
// `--on weak`; reads per variant):
//   hw                 used a live object   used a freed object   replacements
//   call-rcu                      542,874           0 forbidden        319,642
//   synchronize-rcu               352,478           0 forbidden        230,242
//   no-read-lock                  674,304       3,929 interesting      841,089
//   weak
//   call-rcu                      103,215           0 forbidden         10,422
//   synchronize-rcu                70,148           0 forbidden          7,316
//   no-read-lock                  141,110       1,096 interesting       37,232
// (Callbacks were run only at the updater's next call_rcu() before 2026-12-07: 176 and 65 uses
// after free in 2 s then.)
// The weak run needed rcu_dereference() to order what follows it: through a JS value the
// memory object sees no address dependency, so without that smp_rmb() a reader of a reused
// slot read its stale FREED state (184 times in call-rcu) — MP without the reader's barrier.
//
// Model (`smplab run rcu-call-rcu-free --on model --model sc|tso|lkmm`, two replacements
// against one read): a use after free never — exhaustive with rcu_read_lock(), reachable
// without, under every model. The instance reuses no slot, so its answer rests on the grace
// period alone: a reused slot's stale FREED state is kept from a reader by the address
// dependency from rcu_dereference(), which the explorer does not see (it records the
// READ_ONCE() alone, as LKMM does): it would show that read as reachable. The grace-period
// guarantee itself is MP+syncrcu+rcuonceonces (scenarios/litmus), its absence
// MP+syncrcu+onceonces.

import {
  call_rcu,
  defineScenario,
  kthread_should_stop,
  ndelay,
  READ_ONCE,
  rcu_assign_pointer,
  rcu_barrier,
  rcu_dereference,
  rcu_read_lock,
  rcu_read_unlock,
  synchronize_rcu,
  WRITE_ONCE,
} from '../src/kernel/index.ts';

/** Slots in the pool: enough that the updater seldom waits for a callback to return one. */
const SLOTS = 32;
const LIVE = 1;
const FREED = 0xdead;
/** Reads (or replacements) between two heartbeats: few, the weak CPU does ~200 grace periods a second. */
const PROGRESS_EVERY = 32;

type Variant = 'call-rcu' | 'synchronize-rcu' | 'no-read-lock';

export default defineScenario({
  name: 'rcu-call-rcu-free',
  description:
    'an object freed with call_rcu() while readers hold it: never a use after free under rcu_read_lock, reachable without',
  refs: [
    'Documentation/RCU/whatisRCU.rst: rcu_assign_pointer, rcu_dereference, call_rcu',
    'Documentation/RCU/rcu_dereference.rst',
    'include/linux/rcupdate.h: call_rcu, rcu_barrier',
  ],
  kind: 'long-running',
  memory: {
    /** The published object: 1 + its slot, 0 for none. */
    gp: 'int',
    /** LIVE while the slot may be read, FREED once its callback ran. */
    state: { type: 'int', length: SLOTS },
    /** The object's payload: which replacement made it. */
    value: { type: 'int', length: SLOTS },
  },
  variants: {
    'call-rcu': 'readers under rcu_read_lock(); the updater frees the old object with call_rcu()',
    'synchronize-rcu':
      'readers under rcu_read_lock(); the updater waits with synchronize_rcu(), then frees',
    'no-read-lock': 'readers without rcu_read_lock(); the updater frees with call_rcu()',
  },
  threads: {
    updater(cpu, m, variant: Variant) {
      const free: number[] = Array.from({ length: SLOTS - 1 }, (_, k) => k + 1);
      // free_old(): the callback; the slot may be reused once it ran
      const freeOld = (slot: number) => {
        WRITE_ONCE(m.state[slot]!, FREED);
        free.push(slot);
      };
      let cur = 0;
      WRITE_ONCE(m.state[0]!, LIVE);
      rcu_assign_pointer(m.gp, 1);
      for (let k = 1; !kthread_should_stop(); k++) {
        // every slot waits for its grace period: wait for the callbacks queued so far
        if (free.length === 0) {
          rcu_barrier();
          cpu.count('waits for a free slot');
          continue;
        }
        // the slot freed longest ago (a free list in order: a freed slot waits its turn)
        const next = free.shift()!;
        WRITE_ONCE(m.value[next]!, k);
        WRITE_ONCE(m.state[next]!, LIVE);
        rcu_assign_pointer(m.gp, next + 1);
        const old = cur;
        cur = next;
        if (variant === 'synchronize-rcu') {
          synchronize_rcu();
          freeOld(old);
        } else call_rcu(old, freeOld);
        cpu.count('replacements');
        if (k % PROGRESS_EVERY === 0) cpu.progress(`replacement ${k}`);
      }
      rcu_barrier();
    },
    reader: {
      count: 1,
      run(cpu, m, variant: Variant) {
        const locked = variant !== 'no-read-lock';
        for (let n = 1; !kthread_should_stop(); n++) {
          if (locked) rcu_read_lock();
          const p = rcu_dereference(m.gp) - 1;
          let freed = false;
          if (p >= 0) {
            // use the object a while: its state, its payload, its state again
            freed ||= READ_ONCE(m.state[p]!) === FREED;
            READ_ONCE(m.value[p]!);
            ndelay(200);
            freed ||= READ_ONCE(m.state[p]!) === FREED;
          }
          if (locked) rcu_read_unlock();
          if (p >= 0)
            cpu.observe(freed ? 'used an object call_rcu had freed' : 'used a live object');
          if (n % PROGRESS_EVERY === 0) cpu.progress(`read ${n}`);
        }
      },
    },
  },
  outcomes: {
    'used a live object': 'acceptable',
    'used an object call_rcu had freed': {
      'call-rcu': 'forbidden',
      'synchronize-rcu': 'forbidden',
      'no-read-lock': 'interesting',
    },
  },
  metrics: { replacements: 'counter', 'waits for a free slot': 'counter' },
  budget: { seconds: 2 },
  model: {
    description: 'two replacements against one read',
    iterations: { updater: 2 },
  },
  notes: [
    'Callbacks run on the updater, at any of its calls after their grace period, at the latest',
    "at rcu_barrier(). Without rcu_read_lock() no grace period waits for the reader: the old object's",
    'callback may run while the reader still uses it.',
  ],
});
