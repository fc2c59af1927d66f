// CI sharding, as Playwright and Jest users know it: `--shard i/n` runs the i-th of n parts of
// a corpus, so that n CI jobs share it and `merge` + `report` join what they saved. The parts
// are contiguous slices of the corpus in its sorted order (the order check and run list it in),
// as near equal as they can be: every test is in exactly one part, the same one on every
// machine, whatever the order of the arguments.

import { UserError } from '../errors.ts';
import { counted } from '../report/format.ts';

export interface Shard {
  /** 1-based, as written: `2/4` is index 2 of count 4. */
  index: number;
  count: number;
}

/** `--shard 2/4`, checked. */
export function parseShard(raw: string, flag = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count)
    throw new UserError(`${flag} takes i/n with 1 <= i <= n (e.g. 2/4), not '${raw}'`);
  return { index, count };
}

/** The items of `shard` (all of them without one): its slice of `items` sorted by `key`. */
export function shardOf<T>(items: T[], key: (item: T) => string, shard?: Shard): T[] {
  if (!shard) return items;
  const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const from = Math.floor(((shard.index - 1) * sorted.length) / shard.count);
  const to = Math.floor((shard.index * sorted.length) / shard.count);
  return sorted.slice(from, to);
}

/**
 * What a shard held, said after its run: `shard 2/3 of 35 tests`; a shard left empty (fewer
 * tests than shards) says so, and that the other shards have the tests, rather than "0 of 0".
 */
export function shardSummary(shard: Shard, inShard: number, total: number): string {
  const tests = counted(total, 'test');
  const which = `shard ${shard.index}/${shard.count}`;
  if (inShard > 0 || total === 0) return `${which} of ${tests}`;
  const others = total === 1 ? 'another shard has it' : 'other shards have them';
  return `${which} has none of the ${tests} named (fewer tests than shards: ${others})`;
}
