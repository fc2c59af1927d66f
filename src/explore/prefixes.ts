// A thread's prefix in the search (search.ts): its answers so far and the source of each of
// its reads, interned — one object per distinct prefix, whatever path of the search reaches
// it. The search's states are tuples of prefixes (their product is most of the states:
// pf-invalidate-race no-check under lkmm met 9,890 prefixes in 95,426 states), so whatever
// depends on one prefix alone is computed once, on the object: its replay, its pending guesses,
// its id in the search's state keys, and (partial.ts, keyed by the object) its coherence
// edges. A step of a thread is a lookup among its prefix's children; no answers are copied.
// What a waiting thread was offered is interned the same way (Waits).
//
// This module neither chooses answers nor checks anything.

import type { Value } from '../litmus/ir.ts';
import { eventId, type PartialThread, type Source, type WriteKey } from './partial.ts';
import { packKey, type Replay, type ReplayCache } from './thread.ts';

/**
 * A read's guessed value at `loc`, not yet read from a write; `read`: its index in sources;
 * `lock`: a lock read's (HELD or FREE, from a later LKW or UL: lock-reads.ts).
 */
export interface Guess {
  loc: number;
  value: Value;
  read: number;
  lock?: true;
}

/** One thread's answers and reads' sources, interned by Prefixes. */
export interface Prefix<R> extends PartialThread {
  /** Distinct for distinct prefixes of one Prefixes (the search's state keys use it). */
  readonly id: number;
  readonly thread: number;
  readonly answers: readonly number[];
  readonly sources: readonly Source[];
  /** The thread's code replayed with these answers. */
  readonly replay: Replay<R>;
  /** lkmm: its guesses still pending (each to read from a write another thread makes later). */
  readonly guessed?: readonly Guess[];
  readonly parent?: Prefix<R>;
  /**
   * Its children, by step (stepKey): most prefixes have one or none, so the first is kept
   * inline and a Map made only for a second (a Map per prefix was a tenth of the heap).
   */
  firstStep?: number;
  first?: Prefix<R>;
  more?: Map<number, Prefix<R>>;
}

/** Codes of a step's source in a stepKey: none (a choice or a lock), a guess, or a write. */
const NO_STEP_SOURCE = 0;
const GUESS = 1;
/** Source codes are below this, so that answer * SOURCES + code is exact for 32-bit answers. */
const SOURCES = 2 ** 21;

/** One step (an answer and its read's source) as one number, unique among a prefix's children. */
function stepKey(a: number, source: Source | undefined): number {
  const code =
    source === undefined ? NO_STEP_SOURCE : source === 'guess' ? GUESS : 2 + keyOf(source);
  if (code >= SOURCES) throw new Error('internal: too many threads for a step key');
  return a * SOURCES + code;
}

/** A write as one integer, the initial write 0 (what a waiting read was offered, too). */
export const keyOf = (w: WriteKey) => eventId(w.thread, w.index);

/** Distinct prefixes kept before starting afresh (memory, as ReplayCache; ids stay unique). */
const KEPT_PREFIXES = 500_000;

/** The prefixes of one search, and of its rounds after the first (rounds.ts Rounds). */
export class Prefixes<R> {
  private roots: Prefix<R>[] = [];
  private next = 0;
  private kept = 0;

  /** `learn` is told of each replay actually run (a new trace). */
  constructor(
    private readonly replays: ReplayCache<R>,
    private readonly learn?: (thread: number, r: Replay<R>) => void,
  ) {}

  private replay(t: number, answers: readonly number[], more?: number) {
    return this.replays.get(t, answers, more, this.learn && ((r) => this.learn!(t, r)));
  }

  /** Thread t with no answers. */
  root(t: number): Prefix<R> {
    let p = this.roots[t];
    if (!p) {
      const { replay, answers } = this.replay(t, []);
      p = { id: this.next++, thread: t, answers, sources: [], replay, trace: replay.trace };
      this.roots[t] = p;
    }
    return p;
  }

  /** `p` with one more answer `a`; `source`: a read's (a write, or a guess of the value a). */
  child(p: Prefix<R>, a: number, source?: Source): Prefix<R> {
    const key = stepKey(a, source);
    const known = p.firstStep === key ? p.first : p.more?.get(key);
    if (known) return known;
    if (this.kept >= KEPT_PREFIXES) {
      // the nodes in use go on; new walks from the roots make new ones
      this.roots = [];
      this.kept = 0;
    }
    // (the answers are the replay cache's array, shared by every prefix with those answers)
    const { replay, answers } = this.replay(p.thread, p.answers, a);
    const sources = source ? [...p.sources, source] : p.sources;
    const q = p.replay.kind === 'asks' ? p.replay.question : undefined;
    const guess =
      source === 'guess' && q?.kind === 'read'
        ? { loc: q.loc, value: a, read: p.sources.length, ...(q.lock && { lock: q.lock }) }
        : undefined;
    const guessed = guess ? [...(p.guessed ?? []), guess] : p.guessed;
    const c: Prefix<R> = {
      id: this.next++,
      thread: p.thread,
      answers,
      sources,
      replay,
      trace: replay.trace,
      parent: p,
      ...(guessed && { guessed }),
    };
    if (!p.first) {
      p.firstStep = key;
      p.first = c;
    } else {
      p.more ??= new Map();
      p.more.set(key, c);
    }
    this.kept++;
    return c;
  }

  /** `p` with its pending guess `g` reading from `source` (the same answers). */
  resolved(p: Prefix<R>, g: Guess, source: WriteKey): Prefix<R> {
    const path: Prefix<R>[] = [];
    for (let x: Prefix<R> | undefined = p; x?.parent; x = x.parent) path.push(x);
    path.reverse();
    let at = this.root(p.thread);
    for (const x of path) {
      const read = x.sources.length > x.parent!.sources.length;
      const i = x.sources.length - 1;
      at = this.child(
        at,
        x.answers[x.answers.length - 1]!,
        read ? (i === g.read ? source : x.sources[i]) : undefined,
      );
    }
    return at;
  }
}

/** What a waiting thread was offered (keys of writes, or of a lock's releases), interned. */
export interface Wait {
  /** Distinct for distinct sets of one Waits, from 1 (0: not waiting, in a state key). */
  readonly id: number;
  readonly keys: ReadonlySet<number>;
}

/** The sets of keys threads waited past in one search and its rounds. */
export class Waits {
  private readonly byKeys = new Map<string, Wait>();

  /** The Wait offered `keys` (in any order; the search's come sorted). */
  of(keys: readonly number[]): Wait {
    let ascending = true;
    for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) ascending = false;
    const sorted = ascending ? keys : [...keys].sort((a, b) => a - b);
    const key = packKey(sorted);
    let w = this.byKeys.get(key);
    if (!w) {
      w = { id: this.byKeys.size + 1, keys: new Set(sorted) };
      this.byKeys.set(key, w);
    }
    return w;
  }
}
