// The per-CPU memory object: the one place where each kernel primitive gets its semantics.
//
// Both fronts call it: the code compiled from a litmus test (through src/memory/litmus-ops.ts,
// which only renames) and the kernel API of program scenarios (src/kernel/*, through the
// handles of memory.ts). A worker creates its memory object once, when it starts, from a
// MemoryKind picked by name (src/memory/kinds.ts: x86 and portable in x86.ts, the
// emulated weak CPU in src/memory/weak/); nothing below the choice asks which one it got.
//
// Cells are indices into one Int32Array view of the shared memory. A spinlock occupies two
// consecutive cells: the lock word (0 free, 1 held) and, at i + 1, the count of CPUs queued
// for it (what a qspinlock's pending bit and tail say). The memory object does not lay out
// memory, run threads or count outcomes.

import type { UserError } from '../errors.ts';
import type { InlineAccesses } from '../litmus/compile.ts';
import type { Instr, Test, Thread } from '../litmus/ir.ts';
import type { MemorySpec } from './cells.ts';
import type { Layout } from './layout.ts';

/** A memory object's 32-bit primitives, by their kernel names; `i` is a cell index. */
export interface MemoryOps {
  // Accesses.
  /** A plain C load `r = *x`: the compiler may merge, hoist or tear it. */
  load(i: number): number;
  /** A plain C store `*x = v`. */
  store(i: number, v: number): void;
  READ_ONCE(i: number): number;
  WRITE_ONCE(i: number, v: number): void;
  smp_load_acquire(i: number): number;
  smp_store_release(i: number, v: number): void;

  // Fences.
  barrier(): void;
  smp_rmb(): void;
  smp_wmb(): void;
  smp_mb(): void;
  smp_mb__before_atomic(): void;
  smp_mb__after_atomic(): void;
  smp_mb__after_spinlock(): void;
  smp_mb__after_unlock_lock(): void;

  // RCU. A grace period waits for every read-side critical section that began before it, on
  // every CPU of this memory (the state is the memory object's: src/memory/rcu.ts on hw).
  /** rcu_read_lock(): enter a read-side critical section (they nest). */
  rcu_read_lock(): void;
  /** rcu_read_unlock(): leave it. */
  rcu_read_unlock(): void;
  /** rcu_read_lock_held(): this CPU is inside a read-side critical section. */
  rcu_read_lock_held(): boolean;
  /**
   * rcu_dereference(): READ_ONCE() of a published pointer, whose later accesses through it are
   * ordered after it by their address dependency. A JS value carries none: hw and weak order
   * every later load after it (smp_rmb(), more than the kernel does: sound for stress); the
   * explorer records the READ_ONCE() alone, as LKMM does, and leaves the dependency unseen.
   */
  rcu_dereference(i: number): number;
  /** start_poll_synchronize_rcu(): start a grace period (ordered as smp_mb()); its cookie. */
  start_poll_synchronize_rcu(): number;
  /**
   * poll_state_synchronize_rcu(cookie): has the grace period `cookie` names ended? When true,
   * what follows is ordered as after synchronize_rcu(). Polled by the CPU that started it.
   */
  poll_state_synchronize_rcu(cookie: number): boolean;
  /** synchronize_rcu(): wait for a grace period (MemoryConfig.relax each pass). */
  synchronize_rcu(): void;
  /**
   * call_rcu(): run `cb` after a grace period, on this CPU: at any of its later calls of this
   * memory object after the grace period ended, at the latest in rcu_barrier() (the kernel
   * runs callbacks on the CPU that queued them, from softirq: callback-points.ts). Called as
   * a method: `this` is the memory object whose calls become those points.
   */
  call_rcu(cb: () => void): void;
  /** rcu_barrier(): wait until every callback this CPU queued has run. */
  rcu_barrier(): void;

  // SRCU. An srcu_struct is two cells: i, the word LKMM's srcu_read_lock() reads and
  // srcu_read_unlock() writes (the index), and i + 1, its count of readers inside.
  /** srcu_read_lock(ssp) (and srcu_down_read()): enter; returns the index (the word's value). */
  srcu_read_lock(i: number): number;
  /** srcu_read_unlock(ssp, idx) (and srcu_up_read(), from any CPU): leave. */
  srcu_read_unlock(i: number, idx: number): void;
  /** start_poll_synchronize_srcu(ssp): start a grace period of this srcu_struct; its cookie. */
  start_poll_synchronize_srcu(i: number): number;
  /** poll_state_synchronize_srcu(ssp, cookie): has it ended? As poll_state_synchronize_rcu(). */
  poll_state_synchronize_srcu(i: number, cookie: number): boolean;
  /** synchronize_srcu(ssp): wait for a grace period of this srcu_struct. */
  synchronize_srcu(i: number): void;
  /** smp_mb__after_srcu_read_unlock(): srcu_read_unlock() then this is a full fence. */
  smp_mb__after_srcu_read_unlock(): void;

  // Read-modify-write: the unsuffixed form is fully ordered, _relaxed unordered, _acquire orders
  // later accesses after it, _release earlier ones before it. Each returns the old value.
  xchg(i: number, v: number): number;
  xchg_relaxed(i: number, v: number): number;
  xchg_acquire(i: number, v: number): number;
  xchg_release(i: number, v: number): number;
  cmpxchg(i: number, expected: number, v: number): number;
  cmpxchg_relaxed(i: number, expected: number, v: number): number;
  cmpxchg_acquire(i: number, expected: number, v: number): number;
  cmpxchg_release(i: number, expected: number, v: number): number;
  /** Add `v` (sub is the add of the negation). */
  atomic_fetch_add(i: number, v: number): number;
  atomic_fetch_add_relaxed(i: number, v: number): number;
  atomic_fetch_add_acquire(i: number, v: number): number;
  atomic_fetch_add_release(i: number, v: number): number;
  /**
   * atomic_add(): add `v`, no return value, no ordering. As _relaxed, except that lkmm counts its
   * read as Noreturn: smp_rmb() does not order it (linux-kernel.cat's R4rmb).
   */
  atomic_add(i: number, v: number): void;
  /** Add `v` unless the value is `u`; fully ordered when it adds. Returns 1 if it added, else 0. */
  atomic_add_unless(i: number, v: number, u: number): number;

  // Spinlocks (lock word i, queued count i + 1).
  /** Take the lock, waiting (MemoryConfig.relax each pass) while it is held. */
  spin_lock(i: number): void;
  spin_unlock(i: number): void;
  /** Take the lock if nobody holds it or is queued for it (queued_spin_trylock); true if taken. */
  spin_trylock(i: number): boolean;
  /** Someone holds it or is queued for it (a hint, stale at once). */
  spin_is_locked(i: number): boolean;
  /** Some CPU is queued for it. */
  spin_is_contended(i: number): boolean;

  // The runner's side, outside any test's timeline.
  /** Write a cell's initial value before a batch (made visible by the start barrier). */
  init(i: number, v: number): void;
  /** A cell's final value after a batch (every CPU has drained, the end barrier passed). */
  final(i: number): number;
  /** Make everything this CPU did visible to the others: called after its batch, before the end barrier. */
  drain(): void;
  /**
   * This CPU is about to run the instance (a litmus instance, a scenario's copy) one of whose
   * cells is i: what RCU's primitives, which name no location, act on (on the weak CPU).
   */
  begin_instance(i: number): void;
  /**
   * This CPU gives up the instance it is in (stuck: a lock or a grace period it waits for will
   * never come): it leaves any RCU read-side critical section, so that no grace period waits for it.
   */
  abandon(): void;
  /** What this memory's accesses compiled into a litmus thread reach at run time (MemoryKind.compiledAccesses). */
  compiled?: unknown;
}

/**
 * What a wait waits for: a lock or an SRCU grace period (something only the threads of the
 * same instance can end: the lock, the srcu_struct are the instance's) or an RCU grace period
 * (readers of any instance hold it: their words are per CPU).
 */
export type WaitKind = 'lock' | 'srcu' | 'rcu';

/** What a memory object is created from, in the worker that owns it. */
export interface MemoryConfig {
  /** The shared memory (the scenario's or the litmus run's), as 32-bit cells. */
  m: Int32Array;
  /** A cell no variable uses, for the JS behind fences. */
  fence: number;
  /** This CPU's number and how many CPUs share the memory. */
  cpu: number;
  cpus: number;
  /** Seed for a memory object that makes random choices (the run records it). */
  seed: number;
  /**
   * One pass of a spin-wait (spin_lock's slow path, a grace period's poll); `spins` counts the
   * passes of this wait from 1. The front decides: the kernel API's cpu_relax(), the litmus
   * runner's check for a wait that can never end (which may throw faults.ts's Stuck).
   */
  relax(spins: number, wait: WaitKind): void;
  /**
   * Set by the litmus runner (and the scenario runner for a kind with side memory): the memory
   * holds `size` instances (of a test, or copies of a scenario's memory), laid out as these
   * cells say, and `side` is the extra shared memory the kind asked for (MemoryKind.sideCells).
   */
  instances?: InstanceLayout;
  /** The CPUs are stepped in one thread by a scheduler (the in-process driver), not racing. */
  stepped?: boolean;
}

/** How a litmus run lays out its instances (the fields of memory/layout.ts's Layout), and the kind's side memory. */
export interface InstanceLayout {
  dataBase: number;
  instanceStride: number;
  varStride: number;
  variables: number;
  /** Location of each word of an instance (a scenario's declared words); absent: one per varStride words. */
  locationOf?: readonly number[];
  size: number;
  side: SharedArrayBuffer;
}

/** A kind of memory object, registered by name in src/memory/kinds.ts. */
export interface MemoryKind {
  /** One line for reports: what this memory is and how primitives map onto JavaScript. */
  readonly description: string;
  create(cfg: MemoryConfig): MemoryOps;
  /** Cells of side memory a litmus run must share with every CPU (for `size` instances of `variables`). */
  sideCells?(variables: number, size: number): number;
  /**
   * The orders in which a CPU may perform a thread's instructions (the first is program
   * order); one is picked per instance. Absent: program order only.
   */
  threadOrders?(test: Test, thread: Thread, seed: number): Instr[][];
  /**
   * This memory's accesses compiled into a litmus thread run in `bodies` (its orders), in place
   * of calls to the operations (litmus/compile.ts CompileOptions.inline); undefined: the calls.
   * `stepped`: for the in-process driver. `inlined`: the accesses' code in the thread's body
   * or in functions it calls (default: the memory's choice).
   */
  compiledAccesses?(
    test: Test,
    thread: Thread,
    bodies: Instr[][],
    layout: Pick<Layout, 'dataBase' | 'instanceStride' | 'varStride' | 'offsets'>,
    stepped: boolean,
    inlined?: boolean,
  ): InlineAccesses | undefined;
  /** Why this memory cannot run a program scenario (its kind and memory), or undefined. */
  refuseScenario?(s: { kind: string; memory: MemorySpec }): string | undefined;
  /** Why this memory cannot run a test, or undefined (e.g. a primitive it does not implement). */
  refuse?(test: Test): UserError | undefined;
  /** The 64-bit accesses of the CPU `mem` (made by create(cfg)), on the same buffer (u64, atomic64_t). */
  create64(cfg: MemoryConfig, mem: MemoryOps): MemoryOps64;
}

/**
 * The 64-bit accesses of a CPU, on a BigInt64Array view of the same shared memory; `j` is a
 * 64-bit cell index (cell j covers Int32Array cells 2j, 2j+1: low half first). A u64 written as
 * two 32-bit halves, as a 32-bit CPU does, uses MemoryOps.store on those two cells instead.
 */
export interface MemoryOps64 {
  /** A plain C access `r = *x` to a u64 on a 64-bit CPU. */
  load(j: number): bigint;
  /** A plain C access `*x = v` to a u64 on a 64-bit CPU. */
  store(j: number, v: bigint): void;
  /** DataView.getBigInt64 on the shared buffer: a library access V8 may split in two. */
  dataview_load(j: number): bigint;
  /** DataView.setBigInt64 on the shared buffer: a library access V8 may split in two. */
  dataview_store(j: number, v: bigint): void;
  READ_ONCE(j: number): bigint;
  WRITE_ONCE(j: number, v: bigint): void;
  /** Fully ordered exchange; returns the old value. */
  xchg(j: number, v: bigint): bigint;
  /** Fully ordered compare-and-exchange; returns the old value. */
  cmpxchg(j: number, expected: bigint, v: bigint): bigint;
  /** Fully ordered fetch-and-add; returns the old value. */
  atomic_fetch_add(j: number, v: bigint): bigint;
  /**
   * atomic64_add(): add `v`, no return value, no ordering: MemoryOps.atomic_add's 64-bit twin
   * (lkmm counts its read as Noreturn).
   */
  atomic_add(j: number, v: bigint): void;
}

/** The host's 64-bit accesses on a memory object's buffer (MemoryKind.create64 of x86, portable). */
export function hostOps64(cfg: MemoryConfig): MemoryOps64 {
  return ops64(new BigInt64Array(cfg.m.buffer), new DataView(cfg.m.buffer));
}

/** 64-bit accesses for every host: marked ones through Atomics, plain ones as element access. */
export function ops64(b: BigInt64Array, dv: DataView): MemoryOps64 {
  return {
    // plain u64 access on a 64-bit CPU: MOV. JS: BigInt64Array element access
    load: (j) => b[j]!,
    store: (j, v) => {
      b[j] = v;
    },
    // a u64 through DataView: no kernel analogue. JS: DataView.getBigInt64(8j, little-endian)
    dataview_load: (j) => dv.getBigInt64(b.byteOffset + 8 * j, true),
    // a u64 through DataView: no kernel analogue. JS: DataView.setBigInt64(8j, v, little-endian)
    dataview_store: (j, v) => {
      dv.setBigInt64(b.byteOffset + 8 * j, v, true);
    },
    // READ_ONCE() of a u64: one untorn 64-bit load. JS: Atomics.load on BigInt64Array (MOV on x86-64)
    READ_ONCE: (j) => Atomics.load(b, j),
    // WRITE_ONCE() of a u64: one untorn 64-bit store. JS: Atomics.store on BigInt64Array (XCHG on x86-64)
    WRITE_ONCE: (j, v) => {
      Atomics.store(b, j, v);
    },
    // atomic64_xchg(): fully ordered swap. JS: Atomics.exchange on BigInt64Array
    xchg: (j, v) => Atomics.exchange(b, j, v),
    // atomic64_cmpxchg(): fully ordered CAS. JS: Atomics.compareExchange on BigInt64Array
    cmpxchg: (j, expected, v) => Atomics.compareExchange(b, j, expected, v),
    // atomic64_fetch_add(): fully ordered add. JS: Atomics.add on BigInt64Array
    atomic_fetch_add: (j, v) => Atomics.add(b, j, v),
    // atomic64_add(): unordered add (x86-64: LOCK ADD, ordered anyway). JS: Atomics.add on BigInt64Array
    atomic_add: (j, v) => {
      Atomics.add(b, j, v);
    },
  };
}
