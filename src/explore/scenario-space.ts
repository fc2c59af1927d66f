// A scenario's memory as the explorer's locations: each 32-bit word the code touches becomes a
// location (numbered in the order first touched, so an instance that touches 3 words of a
// 16,384-entry table has 3 locations, not 16,384), named as the scenario names it (`flag`,
// `record[2]`, `lock.cnts`, `x.lo`), spinlock words typed as spinlocks (lock.cat's events go
// there). A u64 accessed as a whole (READ_ONCE on a u64, atomic64_t) is one location whose
// values are ids of the 64-bit values; the same u64 accessed also as two 32-bit halves in one
// variant is refused: the models have no mixed-size accesses.
//
// This module maps cells and values; it runs nothing.

import { UserError } from '../errors.ts';
import type { Location, Value } from '../litmus/ir.ts';
import {
  type CellType,
  instanceBase,
  layoutMemory,
  type MemoryLayout,
  type MemorySpec,
  WORDS,
} from '../memory/cells.ts';

interface Word {
  name: string;
  type: 'int' | 'spinlock';
  init: number;
  /** For the words of a u64 / atomic64_t: the variable's name and its 64-bit cell. */
  wide?: { name: string; j: number; init: bigint };
}

/** The words of one instance of `spec`, by absolute cell index. */
function wordsOf(layout: MemoryLayout): Map<number, Word> {
  const out = new Map<number, Word>();
  for (const c of layout.cells) {
    const count = c.length ?? 1;
    for (let e = 0; e < count; e++) {
      const name = c.length === undefined ? c.name : `${c.name}[${e}]`;
      const at = instanceBase(layout, 0) + c.offset + e * WORDS[c.type];
      for (const [k, w] of wordNames(c.type, name, c.init).entries())
        out.set(at + k, {
          ...w,
          ...(isWide(c.type) && { wide: { name, j: at / 2, init: BigInt(c.init) } }),
        });
    }
  }
  return out;
}

const isWide = (t: CellType) => t === 'u64' || t === 'atomic64_t';

function wordNames(t: CellType, name: string, init: number | bigint): Omit<Word, 'wide'>[] {
  const int = (n: string, v = 0) => ({ name: n, type: 'int' as const, init: v });
  const lock = (n: string) => ({ name: n, type: 'spinlock' as const, init: 0 });
  switch (t) {
    case 'int':
    case 'atomic_t':
    case 'seqcount_t':
      return [int(name, Number(init))];
    case 'spinlock_t':
      return [lock(name), int(`${name}.waiters`)];
    case 'u64':
    case 'atomic64_t': {
      const v = BigInt.asIntN(64, BigInt(init));
      return [
        int(`${name}.lo`, Number(BigInt.asIntN(32, v))),
        int(`${name}.hi`, Number(BigInt.asIntN(32, v >> 32n))),
      ];
    }
    case 'rwlock_t':
      return [int(`${name}.cnts`), lock(`${name}.wait_lock`), int(`${name}.wait_lock.waiters`)];
    case 'seqlock_t':
      return [int(`${name}.seqcount`), lock(`${name}.lock`), int(`${name}.lock.waiters`)];
    case 'srcu_struct':
      return [int(name), int(`${name}.readers`)];
  }
}

/** The explorer's view of one scenario's memory, for one variant's exploration. */
export class ScenarioSpace {
  readonly layout: MemoryLayout;
  readonly locations: Location[] = [];
  private readonly words: Map<number, Word>;
  private readonly index = new Map<string, number>();
  /** Each 32-bit cell's location once touched: loc() runs at every access of every replay. */
  private readonly cellLoc = new Map<number, number>();
  private readonly wides: bigint[] = [];
  private readonly wideIds = new Map<bigint, number>();
  private readonly wholes = new Set<number>();
  /** Per u64 name: touched as 'whole', as 'halves', or both (refused). */
  private readonly sizes = new Map<string, Set<'whole' | 'halves'>>();

  constructor(
    memory: MemorySpec,
    private readonly what: string,
  ) {
    this.layout = layoutMemory(memory, 1);
    this.words = wordsOf(this.layout);
  }

  loc(cell: number): number {
    const known = this.cellLoc.get(cell);
    if (known !== undefined) return known;
    const w = this.words.get(cell);
    if (!w)
      throw new UserError(
        `${this.what}: the code accessed cell ${cell}, which is no word of the scenario's memory`,
      );
    if (w.wide) this.touch(w.wide.name, 'halves');
    const loc = this.locationOf(`c${cell}`, () => ({ name: w.name, type: w.type, init: w.init }));
    this.cellLoc.set(cell, loc);
    return loc;
  }

  loc64(j: number): number {
    const w = this.words.get(2 * j);
    if (!w?.wide)
      throw new UserError(
        `${this.what}: a 64-bit access to cell ${2 * j}, which is no u64 of the scenario's memory`,
      );
    const { name, init } = w.wide;
    this.touch(name, 'whole');
    const loc = this.locationOf(`w${j}`, () => ({ name, type: 'int', init: this.wide(init) }));
    this.wholes.add(loc);
    return loc;
  }

  /** Whether a location is a u64 accessed as a whole: its values are ids of 64-bit values. */
  isWide(loc: number): boolean {
    return this.wholes.has(loc);
  }

  init(loc: number): Value {
    return this.locations[loc]!.init;
  }

  wide(v: bigint): Value {
    const big = BigInt.asIntN(64, v);
    let id = this.wideIds.get(big);
    if (id === undefined) {
      id = this.wides.length;
      this.wides.push(big);
      this.wideIds.set(big, id);
    }
    return id;
  }

  unwide(id: Value): bigint {
    const v = this.wides[id];
    if (v === undefined) throw new Error(`internal: no 64-bit value has id ${id}`);
    return v;
  }

  private locationOf(key: string, make: () => Location): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.locations.length;
      this.locations.push(make());
      this.index.set(key, i);
    }
    return i;
  }

  private touch(name: string, how: 'whole' | 'halves'): void {
    let s = this.sizes.get(name);
    if (!s) {
      s = new Set();
      this.sizes.set(name, s);
    }
    s.add(how);
    if (s.size > 1)
      throw new UserError(
        `${this.what}: ${name} is accessed both as a whole 64-bit value and as two 32-bit halves; the models have no mixed-size accesses`,
      );
  }
}
