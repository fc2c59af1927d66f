// How a CPU touches shared memory: the one place where each kernel primitive meets JavaScript.
//
// The litmus compiler (src/litmus/compile.ts) and the kernel API (src/kernel/*) both call these
// functions, so a litmus test and a program scenario cannot drift apart. A worker picks one
// MemoryOps when it starts — x86 (the mapping DESIGN.md argues for on x86-64), portable (every
// marked access through Atomics, sound on any host), or the emulated weak CPU — and nothing
// below checks which one it got. Small functions: V8 inlines them into the generated code.
//
// ECMAScript has two strengths only: Atomics are sequentially consistent, plain TypedArray
// accesses are unordered. V8 does not move a memory access across an Atomics operation, which
// is what makes `Atomics.load(m, fence)` a compiler barrier.

/** The memory operations on one Int32Array view of shared memory; `i` is a cell index. */
export interface MemoryOps {
  /** A plain C access `r = *x`. */
  load(i: number): number;
  /** A plain C access `*x = v`. */
  store(i: number, v: number): void;
  READ_ONCE(i: number): number;
  WRITE_ONCE(i: number, v: number): void;
  smp_load_acquire(i: number): number;
  smp_store_release(i: number, v: number): void;
  barrier(): void;
  smp_rmb(): void;
  smp_wmb(): void;
  smp_mb(): void;
  /** Fully ordered exchange; returns the old value. */
  xchg(i: number, v: number): number;
  /** Fully ordered compare-and-exchange; returns the old value. */
  cmpxchg(i: number, expected: number, v: number): number;
  /** Fully ordered fetch-and-add; returns the old value (sub is add of the negation). */
  atomic_fetch_add(i: number, v: number): number;
}

/** The names of the host architectures whose mapping we have argued for; others get `portable`. */
export type HostMapping = 'x86' | 'portable';

export function hostMapping(arch: string = process.arch): HostMapping {
  return arch === 'x64' || arch === 'ia32' ? 'x86' : 'portable';
}

/**
 * The x86-64 mapping (DESIGN.md's table). `fence` is a cell no test variable uses; reading it
 * with Atomics is the compiler barrier, an Atomics RMW on it is the full fence.
 */
export function x86Ops(m: Int32Array, fence: number): MemoryOps {
  return {
    // plain access: the compiler may reorder it. x86-64: MOV = TypedArray element access
    load: (i) => m[i]!,
    store: (i, v) => {
      m[i] = v;
    },
    // READ_ONCE(): one untorn load the compiler keeps. x86-64: MOV = TypedArray element access
    READ_ONCE: (i) => m[i]!,
    // WRITE_ONCE(): one untorn store the compiler keeps. x86-64: MOV = TypedArray element access
    WRITE_ONCE: (i, v) => {
      m[i] = v;
    },
    // smp_load_acquire(): later accesses stay after. x86-64: MOV (TSO) then barrier() = element read, Atomics.load(fence)
    smp_load_acquire: (i) => {
      const v = m[i]!;
      Atomics.load(m, fence);
      return v;
    },
    // smp_store_release(): earlier accesses stay before. x86-64: barrier() then MOV (TSO) = Atomics.load(fence), element write
    smp_store_release: (i, v) => {
      Atomics.load(m, fence);
      m[i] = v;
    },
    // barrier(): compiler barrier only. x86-64: nothing emitted = Atomics.load(fence), which V8 does not move accesses across
    barrier: () => {
      Atomics.load(m, fence);
    },
    // smp_rmb(): loads before stay before loads after. x86-64: compiler barrier (TSO) = Atomics.load(fence)
    smp_rmb: () => {
      Atomics.load(m, fence);
    },
    // smp_wmb(): stores before stay before stores after. x86-64: compiler barrier (TSO) = Atomics.load(fence)
    smp_wmb: () => {
      Atomics.load(m, fence);
    },
    // smp_mb(): all accesses before stay before all after. x86-64: LOCK-prefixed RMW = Atomics.add(fence, 0)
    smp_mb: () => {
      Atomics.add(m, fence, 0);
    },
    // xchg(): fully ordered swap. x86-64: XCHG = Atomics.exchange
    xchg: (i, v) => Atomics.exchange(m, i, v),
    // cmpxchg(): fully ordered compare-and-swap. x86-64: LOCK CMPXCHG = Atomics.compareExchange
    cmpxchg: (i, expected, v) => Atomics.compareExchange(m, i, expected, v),
    // atomic_fetch_add(): fully ordered add. x86-64: LOCK XADD = Atomics.add
    atomic_fetch_add: (i, v) => Atomics.add(m, i, v),
  };
}

/**
 * The portable mapping for hosts we have not argued about (ARM, POWER): every marked access is
 * an Atomics operation, which is sequentially consistent and so never allows what the
 * primitive forbids. Plain accesses stay plain.
 */
export function portableOps(m: Int32Array, fence: number): MemoryOps {
  const ops = x86Ops(m, fence);
  return {
    ...ops,
    // READ_ONCE(): untorn, kept. portable: Atomics.load (SC, stronger than needed)
    READ_ONCE: (i) => Atomics.load(m, i),
    // WRITE_ONCE(): untorn, kept. portable: Atomics.store (SC, stronger than needed)
    WRITE_ONCE: (i, v) => {
      Atomics.store(m, i, v);
    },
    // smp_load_acquire(): later accesses stay after. portable: Atomics.load (SC)
    smp_load_acquire: (i) => Atomics.load(m, i),
    // smp_store_release(): earlier accesses stay before. portable: Atomics.store (SC)
    smp_store_release: (i, v) => {
      Atomics.store(m, i, v);
    },
    // smp_rmb() / smp_wmb(): on a weak host these need a real fence. portable: Atomics.add(fence, 0)
    smp_rmb: () => {
      Atomics.add(m, fence, 0);
    },
    smp_wmb: () => {
      Atomics.add(m, fence, 0);
    },
  };
}

export function memoryOps(mapping: HostMapping, m: Int32Array, fence: number): MemoryOps {
  return mapping === 'x86' ? x86Ops(m, fence) : portableOps(m, fence);
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
  };
}
