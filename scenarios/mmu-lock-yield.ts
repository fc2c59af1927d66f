// mmu-lock-yield: KVM's TDP MMU zaps a large range under mmu_lock while vCPUs fault.
//
// The claim: a walk that holds mmu_lock for write over a large range must yield it
// (tdp_mmu_iter_cond_resched(): when need_resched() or rwlock_needbreak()) or every vCPU
// fault waits for the whole walk; and a walk that yields must first make progress
// (next_last_level_gfn != yielded_gfn) or, under steady contention, it livelocks: it yields,
// restarts from the root at the same gfn, finds a waiter again and yields again, forever.
//
// The story: tdp_mmu_zap_leafs() walks a 3-level page table (root → pmd → pte here) in
// pre-order with a tdp_iter, clearing every present leaf in [start, end). Yielding drops
// mmu_lock, so the walk cannot trust what it read before: tdp_iter_restart() goes back to the
// root and walks down again towards next_last_level_gfn, the first gfn not yet done. The
// forward-progress guard (Ben Gardon, 2021: "KVM: x86/mmu: Ensure forward progress when
// yielding in TDP MMU iter") refuses to yield until the walk has moved past yielded_gfn, the
// gfn it was at when it last yielded. Meanwhile vCPUs take faults under read_lock: walk down,
// install any missing table entries and the leaf with cmpxchg, as kvm_tdp_mmu_map() does.
//
// Contention is steady: the guest keeps touching the range being zapped, so a vCPU faults again
// as soon as its last fault is served, and a fault holds read_lock for FAULT_WORK_NS. Each vCPU
// thread stands for many vCPUs: its next fault is queued (mmu_lock_waiters) before it drops
// read_lock, so whenever the zapper holds the lock someone is waiting — as in the kernel, where
// the vCPUs that arrived while the zapper waited are queued on mmu_lock's wait_lock when it gets
// in, and rwlock_needbreak() sees them at once. Why the zapper asks mmu_lock_waiters too, and
// not the lab's rwlock_needbreak() alone: that one answers as the kernel's qrwlock does (wait_lock
// held, or CPUs spinning for it), but it cannot see a fault one thread has not begun. When the
// zapper retakes mmu_lock after a yield, it has waited for its one vCPU to leave read_lock, so
// that vCPU is between two faults, nobody is queued, and the unguarded walk zaps a leaf and
// moves on. Without mmu_lock_waiters (2026-11-24, this host) yield-no-guard livelocked in 0 of
// 5 test runs and completed 13 zaps in 2 s; in a probed run, of the 196,148 times the walk went
// on right after a yield, the vCPU was between faults 160,778 times, entering read_lock but not
// yet queued 35,370 times, and queued never. No lock can report a waiter that is not there; the
// other way, more vCPU threads than CPUs, measures how the host preempts them (see VCPUS).
//
// Result (2026-11-24 22:05, x86_64 AMD EPYC, 2 CPUs, node 20.20.2, 2 s per variant, the
// zapper and 1 vCPU thread, load average 2.0):
//                         no-yield        yield   yield-no-guard
//   faults served            3,591      403,051          238,700
//   zaps completed             597           24                0   stalled: zapper, 1 s silent,
//   yields                       0      398,269          307,947   0 heartbeats
//   gfns zapped             19,903      258,725                0
//   fault latency p50      1.47 ms      2.88 µs          2.11 µs
//   fault latency p99      18.4 ms      1.47 ms           483 µs
//   zap time p50           3.47 ms      81.8 ms                -
// Without yielding the vCPU gets in only between two zaps (3,591 faults in 597 zaps); with
// the guard it gets in at every leaf and the zap takes ~24x longer; without the guard the zap
// never gets past its first gfn. A second run a minute later: 3,903 / 427,020 / 207,049 faults,
// 670 / 24 / 0 zaps. Fault latency is corrected for coordinated omission (see
// recordFaultLatency): a vCPU blocked behind a whole zap stands for every fault it would have
// taken meanwhile. `npm run bench mmu-lock-yield` (22:06, five back-to-back trials at load
// 1.6-2.0): p99 without/with yielding 6.6x (1.3-15.1x), p50 487x (408-580x), zap time
// with/without 33.9x (23.5-41.7x). With other jobs on the CPUs (load 7-13, an earlier run) the
// tails are preempted lock holders, not mmu_lock: p99 ratios from 0.2x to 36x.
//
// Model (`--on model`): a latency is a property of runs, but a livelock has a shape the explorer
// reports: without the guard, a walk asked to yield at every step (need_resched() is an explored
// choice) goes round the same pass — yield, retake mmu_lock, restart at the same gfn — with the
// same events and values each time: "possible livelock" with that pass. With the guard the walk
// moves past the gfn before it may yield again, and no pass repeats.
// The model instance keeps the kernel's shape where the livelock is: the zap under write_lock(),
// tdp_mmu_iter_cond_resched() with and without the guard, __cond_resched_rwlock_write()'s drop,
// cond_resched() or cpu_relax(), retake, and tdp_iter_restart() back to the root; a vCPU fault
// under read_lock() that installs the leaf with cmpxchg; the lab's qrwlock as it is. It drops
// what only multiplies the search (docs/explore.md, "Possible livelock"): the table has one level
// (the root holds the leaves, so a restart walks back to the same entry, not down through a pmd),
// the range is one gfn, there is one fault, and the kernel is one without CONFIG_PREEMPTION,
// where rwlock_needbreak() is 0: the walk yields when need_resched() says so, and
// mmu_lock_waiters, asked by no one, is not kept. The livelock it shows was need_resched()'s
// before too (the repeated pass saw no waiter); what it no longer explores is a yield asked for
// by a waiting vCPU. Each cut multiplies (sc): reading wait_lock at every step, 39,894 states
// where 9,708 without; a second level, 19,166 where 4,445 (at loop bound 2); three levels with
// mmu_lock_waiters gave up after 100,032 states in 60 s.

import { availableParallelism } from 'node:os';
import {
  atomic_dec,
  atomic_inc,
  atomic_read,
  type atomic_t,
  type Cpu,
  cmpxchg,
  cond_resched,
  cpu_relax,
  defineScenario,
  type int,
  kthread_should_stop,
  ndelay,
  need_resched,
  prandom_seed_state,
  prandom_u32_state,
  READ_ONCE,
  read_lock,
  read_unlock,
  type rnd_state,
  rwlock_needbreak,
  type rwlock_t,
  WRITE_ONCE,
  write_lock,
  write_unlock,
} from '../src/kernel/index.ts';

/** Entries per page-table page below the root (512 in x86 hardware; 64 keeps the table small). */
const ENTRIES = 64;
/** Root entries: 4 × 64 × 64 = 16384 gfns in the range. */
const ROOT_ENTRIES = 4;
const PMD_ENTRIES = ROOT_ENTRIES * ENTRIES;
const NR_GFNS = PMD_ENTRIES * ENTRIES;
/** The root's level; leaves are level 1 (PG_LEVEL_4K). The model instance's table has one level. */
const ROOT_LEVEL = 3;
/**
 * vCPU threads faulting: one per CPU the zapper leaves free (1 on a 2-CPU host). Each stands for
 * many vCPUs (see mmu_lock_waiters); more spinning threads than CPUs would measure how the host
 * preempts lock holders, not mmu_lock.
 */
const VCPUS = Math.max(1, availableParallelism() - 1);
/** Work a fault does under read_lock besides the walk (make_spte, page allocation…), in ns. */
const FAULT_WORK_NS = 500;
/** How often a vCPU faults when nothing blocks it, in ns (about an uncontended fault). */
const FAULT_INTERVAL_NS = 2000;
/** Seed of the vCPUs' prandom states. */
const SEED = 0x2545f491;
/** The model instance's range: the zap walks the first gfns only, and the vCPU faults there. */
const MODEL_GFNS = 1;

type Variant = 'no-yield' | 'yield' | 'yield-no-guard';

interface PageTable {
  readonly root: readonly int[];
  readonly pmd: readonly int[];
  readonly pte: readonly int[];
  /** The root's level: ROOT_LEVEL, or 1 in the model instance (the root holds the leaves). */
  readonly rootLevel: number;
}

/** KVM_PAGES_PER_HPAGE(level): gfns one entry at `level` maps. */
function pagesPer(level: number): number {
  return ENTRIES ** (level - 1);
}

/** Entries in a table at `level`. */
function entriesAt(pt: PageTable, level: number): number {
  return level === pt.rootLevel ? ROOT_ENTRIES : ENTRIES;
}

/** The entry that maps `gfn` at `level`. */
function entry(pt: PageTable, level: number, gfn: number): int {
  if (level === 1) return pt.pte[gfn]!;
  if (level === 2) return pt.pmd[Math.floor(gfn / ENTRIES)]!;
  return pt.root[Math.floor(gfn / pagesPer(ROOT_LEVEL))]!;
}

/** struct tdp_iter, the fields this walk needs. */
interface TdpIter {
  /** The first gfn not done yet: where a restarted walk heads for. */
  nextLastLevelGfn: number;
  /** nextLastLevelGfn when the walk last yielded. */
  yieldedGfn: number;
  yielded: boolean;
  level: number;
  /** The gfn of the current entry, rounded to its level. */
  gfn: number;
  valid: boolean;
}

/** tdp_iter_restart(): back to the root, heading for nextLastLevelGfn. */
function tdpIterRestart(pt: PageTable, it: TdpIter): void {
  it.yielded = false;
  it.yieldedGfn = it.nextLastLevelGfn;
  it.level = pt.rootLevel;
  it.gfn = it.nextLastLevelGfn - (it.nextLastLevelGfn % pagesPer(pt.rootLevel));
  it.valid = true;
}

/** tdp_iter_next(): pre-order step — down into a present table, else sideways, else up. */
function tdpIterNext(pt: PageTable, it: TdpIter): void {
  if (it.yielded) {
    tdpIterRestart(pt, it);
    return;
  }
  if (it.level > 1 && READ_ONCE(entry(pt, it.level, it.gfn)) !== 0) {
    it.level--;
    it.gfn = it.nextLastLevelGfn - (it.nextLastLevelGfn % pagesPer(it.level));
    return;
  }
  for (;;) {
    const size = pagesPer(it.level);
    if ((it.gfn / size) % entriesAt(pt, it.level) !== entriesAt(pt, it.level) - 1) {
      it.gfn += size;
      it.nextLastLevelGfn = it.gfn;
      return;
    }
    if (it.level === pt.rootLevel) {
      it.valid = false;
      return;
    }
    it.level++;
    it.gfn -= it.gfn % pagesPer(it.level);
  }
}

/** The lock and its queue as the zapper sees them. */
interface MmuLock {
  readonly mmu_lock: rwlock_t;
  readonly mmu_lock_waiters: atomic_t;
  /**
   * CONFIG_PREEMPTION: rwlock_needbreak() says whether someone waits (the stress runs). Without
   * it (the model instance) rwlock_needbreak() is 0, and mmu_lock_waiters, asked by no one, is
   * not kept.
   */
  readonly preemption: boolean;
}

/** The zapper's and the vCPUs' view of the memory: the page table and mmu_lock. */
type Kvm = PageTable & MmuLock;

/**
 * The instance a thread runs on: the stress runs' three-level table under a preemptible
 * kernel, or the model instance's (see `model` below): one level, no CONFIG_PREEMPTION.
 */
function kvmOf(cpu: { readonly instance?: string }, m: Omit<Kvm, 'rootLevel' | 'preemption'>): Kvm {
  const model = cpu.instance === 'model';
  return {
    root: m.root,
    pmd: m.pmd,
    pte: m.pte,
    rootLevel: model ? 1 : ROOT_LEVEL,
    mmu_lock: m.mmu_lock,
    mmu_lock_waiters: m.mmu_lock_waiters,
    preemption: !model,
  };
}

/**
 * rwlock_needbreak(&kvm->mmu_lock) as many vCPUs would make the kernel answer it: the lab's
 * rwlock_needbreak() (wait_lock held or CPUs spinning for it), or a vCPU thread's next fault
 * announced in mmu_lock_waiters (see the header); 0 without CONFIG_PREEMPTION, as the kernel's.
 * JS: spin_is_locked(wait_lock) || atomic_read(waiters)
 */
function mmuLockNeedbreak(k: MmuLock): boolean {
  if (!k.preemption) return false;
  return rwlock_needbreak(k.mmu_lock) || atomic_read(k.mmu_lock_waiters) !== 0;
}

/**
 * __cond_resched_rwlock_write() with that needbreak: drop, schedule or relax, retake. (The lab's
 * cond_resched_rwlock_write() asks rwlock_needbreak() alone: it would keep the lock for a waiter
 * only mmu_lock_waiters shows, and the walk would restart without letting anyone in.)
 */
function condReschedMmuLockWrite(k: MmuLock): boolean {
  if (!mmuLockNeedbreak(k) && !need_resched()) return false;
  write_unlock(k.mmu_lock);
  if (!cond_resched()) cpu_relax();
  write_lock(k.mmu_lock);
  return true;
}

/**
 * tdp_mmu_iter_cond_resched(): yield if the slice is used up or someone waits; `guard` is
 * the forward-progress check. Returns whether the walk yielded (and must restart).
 */
function tdpMmuIterCondResched(k: MmuLock, it: TdpIter, guard: boolean): boolean {
  // Ensure forward progress has been made before yielding.
  if (guard && it.nextLastLevelGfn === it.yieldedGfn) return false;
  if (need_resched() || mmuLockNeedbreak(k)) {
    condReschedMmuLockWrite(k);
    it.yielded = true;
  }
  return it.yielded;
}

/** What the zap walk reports as it goes (the zapper's heartbeat and counters). */
interface ZapHooks {
  /** The walk moved on to `gfn` (the first gfn not done); false means "stop now". */
  step(gfn: number): boolean;
  yielded(): void;
  zapped(): void;
}

/** tdp_mmu_zap_leafs(): clear every present leaf in [0, NR_GFNS), mmu_lock held for write. */
function tdpMmuZapLeafs(kvm: Kvm, variant: Variant, hooks: ZapHooks): void {
  const it: TdpIter = {
    nextLastLevelGfn: 0,
    yieldedGfn: 0,
    yielded: false,
    level: 0,
    gfn: 0,
    valid: true,
  };
  let seen = 0;
  for (tdpIterRestart(kvm, it); it.valid && it.gfn < NR_GFNS; tdpIterNext(kvm, it)) {
    if (it.nextLastLevelGfn !== seen) {
      seen = it.nextLastLevelGfn;
      if (!hooks.step(seen)) return;
    }
    if (variant !== 'no-yield' && tdpMmuIterCondResched(kvm, it, variant === 'yield')) {
      hooks.yielded();
      continue;
    }
    const e = entry(kvm, it.level, it.gfn);
    if (it.level !== 1 || READ_ONCE(e) === 0) continue;
    WRITE_ONCE(e, 0);
    hooks.zapped();
  }
}

/**
 * Book one fault's latency, corrected for coordinated omission (as HdrHistogram's
 * recordValueWithExpectedInterval): a vCPU blocked for `ns` would have faulted every
 * FAULT_INTERVAL_NS meanwhile, and those faults would have waited ns − I, ns − 2I, … too.
 */
function recordFaultLatency(cpu: Cpu<string, string, 'fault latency'>, ns: number): void {
  cpu.latency('fault latency', ns);
  for (
    let missed = ns - FAULT_INTERVAL_NS;
    missed >= FAULT_INTERVAL_NS;
    missed -= FAULT_INTERVAL_NS
  )
    cpu.latency('fault latency', missed);
}

/** kvm_tdp_mmu_map() under read_lock: make each level present, then the leaf (cmpxchg, as shared). */
function tdpMmuMap(pt: PageTable, gfn: number): void {
  for (let level = pt.rootLevel; level >= 1; level--) {
    const e = entry(pt, level, gfn);
    if (READ_ONCE(e) === 0) cmpxchg(e, 0, level === 1 ? gfn + 1 : 1);
  }
  ndelay(FAULT_WORK_NS);
}

export default defineScenario({
  name: 'mmu-lock-yield',
  description:
    'KVM TDP MMU zap under mmu_lock vs vCPU faults: no yield, yield, yield without the guard',
  refs: [
    'arch/x86/kvm/mmu/tdp_mmu.c: tdp_mmu_iter_cond_resched, tdp_mmu_zap_leafs, kvm_tdp_mmu_map',
    'arch/x86/kvm/mmu/tdp_iter.c, tdp_iter.h: tdp_iter_restart, next_last_level_gfn, yielded_gfn',
    'commit "KVM: x86/mmu: Ensure forward progress when yielding in TDP MMU iter" (2021)',
    'kernel/sched/core.c: __cond_resched_rwlock_write',
  ],
  kind: 'long-running',
  memory: {
    mmu_lock: 'rwlock_t',
    /** vCPUs with a fault queued for mmu_lock (the kernel sees them in the qspinlock's tail). */
    mmu_lock_waiters: 'atomic_t',
    root: { type: 'int', length: ROOT_ENTRIES, init: 1 },
    pmd: { type: 'int', length: PMD_ENTRIES, init: 1 },
    pte: { type: 'int', length: NR_GFNS, init: 1 },
  },
  variants: {
    'no-yield': 'the zap holds mmu_lock for the whole range (can_yield = false)',
    yield: 'yield on need_resched() or rwlock_needbreak(), once past the gfn of the last yield',
    'yield-no-guard': {
      description: 'yield as above, without the forward-progress guard',
      stall: 'expected',
    },
  },
  threads: {
    zapper(cpu, m, variant: Variant) {
      const kvm = kvmOf(cpu, m);
      let zaps = 0;
      const hooks: ZapHooks = {
        step(gfn) {
          // The model instance zaps [0, MODEL_GFNS) (kthread_should_stop(), the explorer's
          // choice up to model.iterations, is asked only by the loop around the zap there).
          if (cpu.instance === 'model') return gfn < MODEL_GFNS;
          // A heartbeat per pmd: the walk moved past ENTRIES gfns it had not done.
          if (gfn % ENTRIES === 0) {
            cpu.count('gfns walked', ENTRIES);
            cpu.progress(`zap ${zaps + 1} at gfn ${gfn}`);
          }
          return !kthread_should_stop();
        },
        yielded: () => cpu.count('yields'),
        zapped: () => cpu.count('gfns zapped'),
      };
      while (!kthread_should_stop()) {
        write_lock(m.mmu_lock);
        const t0 = cpu.stamp();
        tdpMmuZapLeafs(kvm, variant, hooks);
        write_unlock(m.mmu_lock);
        // (A zap the stop cut short is not counted; the model instance's zaps run whole.)
        if (cpu.instance !== 'model' && kthread_should_stop()) break;
        cpu.latency('zap time', cpu.stamp() - t0);
        cpu.observe('zap completed');
        zaps++;
      }
    },
    vcpu: {
      count: VCPUS,
      run(cpu, m) {
        // The model instance has one vCPU whatever this host's CPU count (cpu.id 0 is the zapper).
        if (cpu.instance === 'model' && cpu.id > 1) return;
        const kvm = kvmOf(cpu, m);
        const gfns = cpu.instance === 'model' ? MODEL_GFNS : NR_GFNS;
        const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
        prandom_seed_state(rnd, SEED + cpu.id);
        let faults = 0;
        // Steady contention: this thread stands for many vCPUs, so its next fault is queued
        // for mmu_lock before the last one releases it (where the zapper asks: preemption).
        if (kvm.preemption) atomic_inc(m.mmu_lock_waiters);
        for (;;) {
          const gfn = prandom_u32_state(rnd) % gfns;
          const t0 = cpu.stamp();
          read_lock(m.mmu_lock);
          if (kvm.preemption) atomic_dec(m.mmu_lock_waiters);
          tdpMmuMap(kvm, gfn);
          const ns = cpu.stamp() - t0;
          cpu.observe('fault served');
          cpu.count('faults');
          // A heartbeat per fault served (a note every 64: writing it costs more than the beat).
          if (++faults % 64 === 0) cpu.progress(`fault ${faults}`);
          else cpu.progress();
          const more = !kthread_should_stop();
          if (more && kvm.preemption) atomic_inc(m.mmu_lock_waiters);
          read_unlock(m.mmu_lock);
          recordFaultLatency(cpu, ns);
          if (!more) break;
        }
      },
    },
  },
  outcomes: {
    'fault served': 'acceptable',
    'zap completed': 'acceptable',
  },
  metrics: {
    'fault latency': 'latency',
    'zap time': 'latency',
    faults: 'counter',
    yields: 'counter',
    'gfns zapped': 'counter',
    'gfns walked': 'counter',
  },
  budget: { seconds: 2, stallSeconds: 1 },
  model: {
    description:
      'one zap of the first gfn of a one-level table against one vCPU fault, no CONFIG_PREEMPTION (rwlock_needbreak() is 0); need_resched() an explored choice, so a walk may be asked to yield at every step',
    // One fault: kthread_should_stop() answers true at the vCPU's first ask, after its first
    // fault (the default, false once, queued a second fault behind it: 2 faults, and under
    // lkmm 124,542 states and 12 s for no-yield where one fault takes 10,215 states and 1.3 s).
    // The zap's yields need no second fault: need_resched() can ask for one at every step.
    iterations: { zapper: 1, vcpu0: 0 },
  },
  notes: [
    'Contention is steady: each vCPU faults again at once. yield-no-guard is expected to stall:',
    'the watchdog names the zapper and the last pmd it got past. gfns walked counts 64 per pmd.',
  ],
});
