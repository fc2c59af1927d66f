// diy7's families of cycles (herdtools7 7.58, gen/normaliser.ml): a cycle's key is each
// thread's first and last access, W or R, one letter for a thread of one access, joined by
// '+' in thread order (MP is WW+RR: a thread writing twice, one reading twice); the family's
// name is diy7's for that key (the shapes of test6.pdf and the kernel's litmus tests), or the
// key itself (WW+RR+WW+RR). Six keys of a cycle on one location only have Co names (CoRR is
// W+RR on one location); diy7 refuses to write such cycles without -oneloc.
//
// A key is also a skeleton: each two-access thread joined by Pod, each thread to the next by
// the communication its directions allow (W to R: Rfe, R to W: Fre, W to W: Coe), which is
// what `smplab gen MP` and `--family MP` start from.

import { didYouMean, UserError } from '../errors.ts';
import { type Cycle, threadsOf } from './cycle.ts';
import { type Dir, type Edge, parseEdge } from './edges.ts';

/** diy7's family names, by key (its table, less the keys with fence points, F). */
export const FAMILY_KEYS: Readonly<Record<string, string>> = {
  SB: 'WR+WR',
  MP: 'WW+RR',
  LB: 'RW+RW',
  S: 'WW+RW',
  R: 'WW+WR',
  '2+2W': 'WW+WW',
  WRC: 'W+RW+RR',
  ISA2: 'WW+RW+RR',
  IRIW: 'W+RR+W+RR',
  RWC: 'W+RR+WR',
  WWC: 'W+RW+RW',
  'W+RWC': 'WW+RR+WR',
  'WRR+2W': 'W+RR+WW',
  'WRW+2W': 'W+RW+WW',
  'WRW+WR': 'W+RW+WR',
  IRRWIW: 'W+RR+W+RW',
  IRWIW: 'W+RW+W+RW',
  'Z6.0': 'WW+RW+WR',
  'Z6.1': 'WW+WW+RW',
  'Z6.2': 'WW+RW+RW',
  'Z6.3': 'WW+WW+RR',
  'Z6.4': 'WW+WR+WR',
  'Z6.5': 'WW+WW+WR',
  '3.SB': 'WR+WR+WR',
  '3.LB': 'RW+RW+RW',
  '3.2W': 'WW+WW+WW',
  '4.SB': 'WR+WR+WR+WR',
  '4.LB': 'RW+RW+RW+RW',
  '4.2W': 'WW+WW+WW+WW',
};

export const FAMILY_NAMES = Object.keys(FAMILY_KEYS);

/** The other key diy7 names IRRWIW (its rotations start at the RR thread: see normalise.ts). */
const OTHER_KEYS: Readonly<Record<string, string>> = { 'W+RW+W+RR': 'IRRWIW' };

/** diy7's names of the keys of cycles on one location. */
const ONE_LOCATION: Readonly<Record<string, string>> = {
  WW: 'CoWW',
  RW: 'CoRW1',
  'W+RW': 'CoRW2',
  'W+WR': 'CoWR',
  'W+RR': 'CoRR',
  WR: 'CoWR0',
};

const NAME_OF_KEY = new Map<string, string>([
  ...Object.entries(FAMILY_KEYS).map(([name, key]): [string, string] => [key, name]),
  ...Object.entries(OTHER_KEYS),
]);

/** A family's key: each thread's first and last access (one letter for one access), by '+'. */
const KEY = /^[RW]{1,2}(?:\+[RW]{1,2})*$/;

/** The key of a cycle that starts a thread. */
export function familyKey(c: Cycle): string {
  return threadsOf(c)
    .map((ids) => {
      const first = c.edges[ids[0]!]!.src;
      return ids.length === 1 ? first : first + c.edges[ids.at(-1)!]!.src;
    })
    .join('+');
}

/** diy7's name for the family of a cycle that starts a thread. */
export function familyName(c: Cycle): string {
  const key = familyKey(c);
  const oneLocation = c.edges.every((e) => e.row.sameLocation) ? ONE_LOCATION[key] : undefined;
  return oneLocation ?? NAME_OF_KEY.get(key) ?? key;
}

/** A family given by name (any case: mp is MP) or by key: its name and key. */
export function findFamily(text: string): { name: string; key: string } {
  const name = FAMILY_NAMES.find((p) => p.toLowerCase() === text.toLowerCase());
  if (name !== undefined) return { name, key: FAMILY_KEYS[name]! };
  const key = text.toUpperCase();
  if (KEY.test(key)) return { name: NAME_OF_KEY.get(key) ?? key, key };
  throw new UserError(
    `unknown pattern '${text}'${didYouMean(text, FAMILY_NAMES)}; smplab gen knows ` +
      `${FAMILY_NAMES.join(', ')}, or any key of diy7's such as WW+RR+WW+RR (each thread's ` +
      'first and last access); or give any cycle with --cycle',
  );
}

/**
 * The skeleton of a key: Pod inside threads, the communication the directions allow between
 * them. Unchecked: check.ts's checkCycle says what diy7 would refuse of it.
 */
export function skeletonEdges(key: string): Edge[] {
  const threads = key.split('+');
  const edges: Edge[] = [];
  threads.forEach((t, i) => {
    if (t.length === 2) edges.push(parseEdge(`Pod${t}`));
    edges.push(communication(key, t.at(-1) as Dir, threads[(i + 1) % threads.length]![0] as Dir));
  });
  return edges;
}

/** The communication from a thread's last access to the next thread's first. */
export function communication(key: string, from: Dir, to: Dir): Edge {
  const com = { WR: 'Rfe', RW: 'Fre', WW: 'Coe' }[from + to];
  if (com === undefined)
    throw new UserError(
      `${key}: a thread ending with a read cannot be followed by one starting with a read ` +
        '(no communication goes from a read to a read)',
    );
  return parseEdge(com);
}
