// The kernel API for program scenarios: kernel names, kernel meanings, one call each on the
// CPU's memory object (ops.ts). A scenario imports everything it uses from here:
//
//   import { defineScenario, READ_ONCE, WRITE_ONCE, smp_wmb, smp_rmb } from '../src/kernel/index.ts';
//
// and, installed from npm, `from 'smplab'`: this module is the package's export (package.json
// `exports`, compiled to dist/ with its declarations and these doc comments).
//
// The lab machinery (laying out memory, binding a CPU, running workers) is not exported here.

export type { CellDecl, CellType, MemorySpec } from '../memory/cells.ts';
export { prandom_seed_state, prandom_u32_state, type rnd_state } from '../memory/random.ts';
export {
  atomic_add,
  atomic_add_return,
  atomic_add_unless,
  atomic_cmpxchg,
  atomic_dec,
  atomic_dec_and_test,
  atomic_dec_return,
  atomic_inc,
  atomic_inc_not_zero,
  atomic_inc_return,
  atomic_read,
  atomic_read_acquire,
  atomic_set,
  atomic_set_release,
  atomic_sub,
  atomic_xchg,
  cmpxchg,
  test_and_set_bit,
  test_bit,
  xchg,
} from './atomic.ts';
export {
  atomic64_add,
  atomic64_add_return,
  atomic64_cmpxchg,
  atomic64_inc,
  atomic64_read,
  atomic64_set,
  atomic64_xchg,
} from './atomic64.ts';
export {
  barrier,
  smp_load_acquire,
  smp_mb,
  smp_mb__after_atomic,
  smp_mb__after_spinlock,
  smp_mb__after_unlock_lock,
  smp_mb__before_atomic,
  smp_rmb,
  smp_store_mb,
  smp_store_release,
  smp_wmb,
} from './barriers.ts';
export {
  atomic_cond_read_acquire,
  atomic_cond_read_relaxed,
  smp_cond_load_acquire,
  smp_cond_load_relaxed,
} from './cond-load.ts';
export { type Cpu, smp_processor_id } from './cpu.ts';
export { ndelay } from './delay.ts';
export type {
  atomic_t,
  atomic64_t,
  int,
  MemoryOf,
  rwlock_t,
  seqcount_t,
  seqlock_t,
  spinlock_t,
  srcu_struct,
  u64,
} from './memory.ts';
export {
  plain_load,
  plain_store,
  READ_ONCE,
  u64_load,
  u64_load_dataview,
  u64_load_halves,
  u64_read_once,
  u64_store,
  u64_store_dataview,
  u64_store_halves,
  u64_write_once,
  WRITE_ONCE,
} from './once.ts';
export {
  call_rcu,
  poll_state_synchronize_rcu,
  rcu_assign_pointer,
  rcu_barrier,
  rcu_dereference,
  rcu_read_lock,
  rcu_read_lock_held,
  rcu_read_unlock,
  smp_mb__after_srcu_read_unlock,
  srcu_down_read,
  srcu_read_lock,
  srcu_read_unlock,
  srcu_up_read,
  start_poll_synchronize_rcu,
  synchronize_rcu,
  synchronize_srcu,
} from './rcu.ts';
export {
  cond_resched_rwlock_read,
  cond_resched_rwlock_write,
  read_lock,
  read_trylock,
  read_unlock,
  rwlock_is_contended,
  rwlock_needbreak,
  write_lock,
  write_trylock,
  write_unlock,
} from './rwlock.ts';
export {
  type Budget,
  defineScenario,
  type Grade,
  type MetricKind,
  type Results,
  type Scenario,
  type ScenarioKind,
  STALL_OUTCOME,
  type StallGrade,
  type ThreadResult,
  type VariantSpec,
} from './scenario.ts';
export {
  cond_resched,
  cpu_relax,
  kthread_should_stop,
  ktime_get_ns,
  need_resched,
} from './sched.ts';
export {
  raw_read_seqcount,
  read_seqbegin,
  read_seqcount_begin,
  read_seqcount_retry,
  read_seqretry,
  write_seqcount_begin,
  write_seqcount_end,
  write_seqlock,
  write_sequnlock,
} from './seqlock.ts';
export {
  spin_is_contended,
  spin_is_locked,
  spin_lock,
  spin_trylock,
  spin_unlock,
} from './spinlock.ts';
