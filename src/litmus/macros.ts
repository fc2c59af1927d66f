// The kernel macros a C-litmus test may call: one row per macro, read by the parser (what the
// arguments are), the lowering (which IR instruction and annotation), and through the IR by the
// compiler and the model. A new macro is one row here plus a test.
//
// The rows follow the kernel's tools/memory-model/linux-kernel.def. Argument kinds:
//   lvalue  — `*x` or `*r0`: the location accessed (READ_ONCE(*x));
//   pointer — `x`, `r0` or `&x`: an expression whose value is the address accessed
//             (smp_load_acquire(x), xchg(x, 1), atomic_inc(v));
//   value   — an integer expression.
// This module is data; it does no parsing itself.

import type { AccessAnnot, FenceAnnot, RmwOp, RmwResult, RmwTest } from './ir.ts';

export type ArgKind = 'lvalue' | 'pointer' | 'value';

export type MacroRow =
  | { event: 'load'; annot: AccessAnnot; args: ['lvalue'] | ['pointer'] }
  | {
      event: 'store';
      annot: AccessAnnot;
      args: ['lvalue', 'value'] | ['pointer', 'value'];
      fence?: FenceAnnot;
    }
  | {
      event: 'rmw';
      op: RmwOp;
      annot: AccessAnnot;
      /** Argument order differs between families: atomic_add(V, X) but xchg(X, V). */
      args: ArgKind[];
      /** Index in `args` of the address, the operand and (cmpxchg, add_unless) the compare value. */
      addrArg: number;
      operandArg?: number;
      compareArg?: number;
      /** A fixed operand (atomic_inc: 1) when no argument gives it. */
      operand?: number;
      result: RmwResult;
      test?: RmwTest;
    }
  | { event: 'fence'; annot: FenceAnnot; args: [] | ['pointer'] }
  | { event: 'lock' | 'unlock' | 'trylock' | 'islocked'; args: ['pointer'] };

/** Whether a call of the macro yields a value (may stand on the right of `r = ...`). */
export function macroReturns(row: MacroRow): boolean {
  switch (row.event) {
    case 'load':
    case 'trylock':
    case 'islocked':
      return true;
    case 'rmw':
      return row.result !== 'none';
    default:
      return false;
  }
}

const ACCESS_FLAVOURS: [suffix: string, annot: AccessAnnot][] = [
  ['', 'mb'],
  ['_relaxed', 'once'],
  ['_acquire', 'acquire'],
  ['_release', 'release'],
];

function fence(annot: FenceAnnot): MacroRow {
  return { event: 'fence', annot, args: [] };
}

/** xchg(X,V), cmpxchg(X,V,W), atomic_xchg, atomic_cmpxchg, in all four orderings. */
function exchangeRows(prefix: '' | 'atomic_'): Record<string, MacroRow> {
  const rows: Record<string, MacroRow> = {};
  for (const [suffix, annot] of ACCESS_FLAVOURS) {
    rows[`${prefix}xchg${suffix}`] = {
      event: 'rmw',
      op: 'xchg',
      annot,
      args: ['pointer', 'value'],
      addrArg: 0,
      operandArg: 1,
      result: 'old',
    };
    rows[`${prefix}cmpxchg${suffix}`] = {
      event: 'rmw',
      op: 'cmpxchg',
      annot,
      args: ['pointer', 'value', 'value'],
      addrArg: 0,
      compareArg: 1,
      operandArg: 2,
      result: 'old',
    };
  }
  return rows;
}

/**
 * One atomic arithmetic row. atomic_add(V,X) takes the amount first and the atomic_t second;
 * atomic_inc(X) has a fixed amount of 1 and the atomic_t alone.
 */
function arithmetic(
  op: 'add' | 'sub',
  fixed: number | undefined,
  annot: AccessAnnot,
  result: RmwResult,
  test?: RmwTest,
): MacroRow {
  const shape =
    fixed === undefined
      ? { args: ['value', 'pointer'] as ArgKind[], addrArg: 1, operandArg: 0 }
      : { args: ['pointer'] as ArgKind[], addrArg: 0, operand: fixed };
  return { event: 'rmw', op, annot, ...shape, result, ...(test ? { test } : {}) };
}

/** atomic_{add,sub,inc,dec}, their _return and fetch_ forms in all orderings, and the _and_test ones. */
function arithmeticRows(): Record<string, MacroRow> {
  const rows: Record<string, MacroRow> = {};
  const families: [name: string, op: 'add' | 'sub', fixed?: number][] = [
    ['add', 'add'],
    ['sub', 'sub'],
    ['inc', 'add', 1],
    ['dec', 'sub', 1],
  ];
  for (const [name, op, fixed] of families) {
    // atomic_add(V,X): no return value, no ordering ('noreturn' in the kernel's model).
    rows[`atomic_${name}`] = arithmetic(op, fixed, 'noreturn', 'none');
    for (const [suffix, annot] of ACCESS_FLAVOURS) {
      rows[`atomic_${name}_return${suffix}`] = arithmetic(op, fixed, annot, 'new');
      rows[`atomic_fetch_${name}${suffix}`] = arithmetic(op, fixed, annot, 'old');
    }
  }
  const tests: [name: string, op: 'add' | 'sub', test: RmwTest, fixed?: number][] = [
    ['sub_and_test', 'sub', '==0'],
    ['dec_and_test', 'sub', '==0', 1],
    ['inc_and_test', 'add', '==0', 1],
    ['add_negative', 'add', '<0'],
  ];
  for (const [name, op, test, fixed] of tests)
    rows[`atomic_${name}`] = arithmetic(op, fixed, 'mb', 'new', test);
  return rows;
}

export const MACROS: Readonly<Record<string, MacroRow>> = {
  // ONCE
  READ_ONCE: { event: 'load', annot: 'once', args: ['lvalue'] },
  WRITE_ONCE: { event: 'store', annot: 'once', args: ['lvalue', 'value'] },
  // Release, acquire and friends
  smp_store_release: { event: 'store', annot: 'release', args: ['pointer', 'value'] },
  smp_load_acquire: { event: 'load', annot: 'acquire', args: ['pointer'] },
  rcu_assign_pointer: { event: 'store', annot: 'release', args: ['lvalue', 'value'] },
  rcu_dereference: { event: 'load', annot: 'once', args: ['lvalue'] },
  smp_store_mb: { event: 'store', annot: 'once', args: ['lvalue', 'value'], fence: 'mb' },
  // Fences
  smp_mb: fence('mb'),
  smp_rmb: fence('rmb'),
  smp_wmb: fence('wmb'),
  barrier: fence('barrier'),
  smp_mb__before_atomic: fence('before-atomic'),
  smp_mb__after_atomic: fence('after-atomic'),
  smp_mb__after_spinlock: fence('after-spinlock'),
  smp_mb__after_unlock_lock: fence('after-unlock-lock'),
  // Exchange
  ...exchangeRows(''),
  // Spinlocks
  spin_lock: { event: 'lock', args: ['pointer'] },
  spin_unlock: { event: 'unlock', args: ['pointer'] },
  spin_trylock: { event: 'trylock', args: ['pointer'] },
  spin_is_locked: { event: 'islocked', args: ['pointer'] },
  // RCU
  rcu_read_lock: fence('rcu-lock'),
  rcu_read_unlock: fence('rcu-unlock'),
  synchronize_rcu: fence('sync-rcu'),
  synchronize_rcu_expedited: fence('sync-rcu'),
  // SRCU: the read side reads the srcu_struct and writes the index it got back to it (the bell
  // pairs them through that data dependency); srcu_down_read/srcu_up_read may be in two threads.
  srcu_read_lock: { event: 'load', annot: 'srcu-lock', args: ['pointer'] },
  srcu_read_unlock: { event: 'store', annot: 'srcu-unlock', args: ['pointer', 'value'] },
  srcu_down_read: { event: 'load', annot: 'srcu-lock', args: ['pointer'] },
  srcu_up_read: { event: 'store', annot: 'srcu-unlock', args: ['pointer', 'value'] },
  synchronize_srcu: { event: 'fence', annot: 'sync-srcu', args: ['pointer'] },
  synchronize_srcu_expedited: { event: 'fence', annot: 'sync-srcu', args: ['pointer'] },
  smp_mb__after_srcu_read_unlock: fence('after-srcu-read-unlock'),
  // Atomic
  atomic_read: { event: 'load', annot: 'once', args: ['pointer'] },
  atomic_set: { event: 'store', annot: 'once', args: ['pointer', 'value'] },
  atomic_read_acquire: { event: 'load', annot: 'acquire', args: ['pointer'] },
  atomic_set_release: { event: 'store', annot: 'release', args: ['pointer', 'value'] },
  ...arithmeticRows(),
  ...exchangeRows('atomic_'),
  // atomic_add_unless(X,V,W): add V unless the value is W; fully ordered when it adds.
  atomic_add_unless: {
    event: 'rmw',
    op: 'add_unless',
    annot: 'mb',
    args: ['pointer', 'value', 'value'],
    addrArg: 0,
    operandArg: 1,
    compareArg: 2,
    result: 'added',
  },
};

export const MACRO_NAMES: readonly string[] = Object.keys(MACROS);
