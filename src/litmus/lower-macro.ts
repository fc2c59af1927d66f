// One macro call → its IR instructions, as its row in macros.ts says: a load, a store (and
// the fence of smp_store_mb), an rmw with its operand, compare value, result and test, a
// fence, or a lock operation. The arguments arrive already lowered (lower-code.ts resolves
// the address and hoists the values' memory reads); this module only assembles.

import type { SourcePos } from '../errors.ts';
import type { Addr, Expr, Instr } from './ir.ts';
import type { MacroRow } from './macros.ts';

export interface MacroArgs {
  /** The location the macro accesses (unused by fences). */
  addr: Addr;
  /** The lowered value arguments, by their index in the call. */
  values: Expr[];
  /** The register that receives the macro's value, when the call is used as a value. */
  dst: () => string | undefined;
  /** A fresh temporary, for a load whose value nobody reads (a load needs a destination). */
  temporary: () => string;
}

export function macroInstrs(row: MacroRow, args: MacroArgs, pos: SourcePos): Instr[] {
  const { addr } = args;
  switch (row.event) {
    case 'load':
      return [{ kind: 'load', annot: row.annot, addr, dst: args.dst() ?? args.temporary(), pos }];
    case 'store': {
      const store: Instr = { kind: 'store', annot: row.annot, addr, value: args.values[1]!, pos };
      return row.fence ? [store, { kind: 'fence', annot: row.fence, pos }] : [store];
    }
    case 'rmw':
      return [rmw(row, args, pos)];
    case 'fence':
      return [{ kind: 'fence', annot: row.annot, ...(row.args.length > 0 && { addr }), pos }];
    case 'lock':
    case 'unlock':
      return [{ kind: row.event, addr, pos }];
    case 'trylock':
    case 'islocked': {
      const dst = args.dst();
      return [{ kind: row.event, addr, ...(dst !== undefined && { dst }), pos }];
    }
  }
}

/** xchg(x, v), cmpxchg(x, old, new), atomic_add(v, x), atomic_inc(x), atomic_add_unless(x, a, u)... */
function rmw(row: MacroRow & { event: 'rmw' }, args: MacroArgs, pos: SourcePos): Instr {
  const at = (i: number | undefined): Expr | undefined =>
    i === undefined ? undefined : args.values[i];
  const operand: Expr = at(row.operandArg) ?? { kind: 'const', value: row.operand ?? 0 };
  const compare = at(row.compareArg);
  const dst = args.dst();
  return {
    kind: 'rmw',
    op: row.op,
    annot: row.annot,
    addr: args.addr,
    operand,
    ...(compare && { compare }),
    result: row.result,
    ...(row.test && { test: row.test }),
    ...(dst !== undefined && { dst }),
    pos,
  };
}
