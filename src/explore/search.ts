// The search for every combination of thread runs in which each read returns a value that some
// write of the combination (or the initial value) stores: the combinations the model then
// judges (explore.ts).
//
// Depth first over states: each thread is replayed (thread.ts) up to its next question. The
// lowest-numbered thread with a question gets answers: a choice (trylock, need_resched) each of
// its answers; a read each value written at its location so far, by any thread, or the initial
// value — or it waits: it is blocked until some thread writes a value there that it was not yet
// offered, and is then offered the new values (or waits again). A thread reading a value only a
// later write gives thus gets it, once that write is done, and never twice the same. A value
// that leaves an await blocked (thread.ts) is no branch: the thread waits for another. A
// spin_lock() is taken only while no other thread holds the lock in the state; the thread may
// also wait for another's release first.
//
// A state where every unfinished thread waits for good (blocked at an await by a write it may
// read last, or at a lock another holds) is handed to onDeadlock, which checks it with the
// model: with the await reading its location's last write. A thread whose await one write lets
// out and the last leaves blocked (a flag set then reset by a thread that finished) also waits
// in a branch of its own, for that check.
//
// When every unfinished thread waits, the state is a dead end for sc and tso: an execution they
// accept has no cycle of program order and reads-from (herd7's sc and tso both order a read
// before the program-order-later write), so a thread whose value comes later is never waited
// on in a circle. lkmm accepts such cycles (load buffering): there a thread waiting at a read
// (the one with the fewest values to guess: rounds.ts guessingRead) guesses its value among
// those `guesses` gives (the values seen written there by another unfinished thread in
// accepted executions: guesses.ts); with none to guess the state is a dead end. The guess is
// pending until another thread writes that value there after it: each such write may be its
// source (a branch), and a state whose pending guess no unfinished thread can still write is
// abandoned, as is one whose pending guesses no later writes can resolve coherently; with no
// cap, a read does not guess the value of the write it saw last there (pending.ts).
// docs/explore.md argues why this reaches every combination an accepted execution has, and
// what a cap on guesses (maxGuesses) leaves out.
//
// What a state is and its key: search-state.ts. A pending guess's sources and whether it can
// still have one: guess-resolution.ts. lkmm's rounds (a round after the first searches only
// what the grown domain adds), the values a read may guess and a guess past the cap:
// rounds.ts. This module is the loop that visits states and makes their branches.
//
// This module neither runs the model nor dedupes combinations.

import type { TracedEvent, Tracer } from '../memory/explore.ts';
import { AskingGuesses } from './asked-guesses.ts';
import { type BlockedThread, deadlockIn, type FinishedThread } from './deadlocked-state.ts';
import { type Guesses, justifiable, MAX_GUESSES, resolutions } from './guess-resolution.ts';
import { livelocked } from './livelock.ts';
import { HELD, lockWritesAt } from './lock-reads.ts';
import type { PartialThread, Source } from './partial.ts';
import { repeatsView } from './pending.ts';
import { keyOf, Prefixes } from './prefixes.ts';
import { capCut, guessingRead, type RoundSearch, Rounds, resume } from './rounds.ts';
import {
  holder,
  type Offer,
  offersIn,
  stateKey,
  type ThreadState,
  unlocksAt,
} from './search-state.ts';
import { packKey, type Replay, ReplayCache, replay, type Space } from './thread.ts';

export { packKey };

export interface SearchOptions<R> {
  threads: number;
  body: (thread: number, t: Tracer) => R;
  space: Space;
  loopBound: number;
  /** lkmm: what a read may guess when every thread waits; absent: that is a dead end. */
  guesses?: Guesses;
  /** Guesses one path may make (default MAX_GUESSES; Infinity: no cap). */
  maxGuesses?: number;
  /**
   * false: no guess pruned as redundant or incoherent (pending.ts), and the lowest-numbered
   * waiting read guesses (rounds.ts guessingRead): a test's reference.
   */
  guessPruning?: boolean;
  /**
   * false: the program has a plain access, so no pruning whose argument needs every access
   * marked (writes left, write-budget.ts; the fewest-values choice, rounds.ts guessingRead):
   * a load-buffering cycle through a plain access is no cycle of lkmm's happens-before.
   */
  allMarked?: boolean;
  /**
   * Which threads may write a location (learnt from the runs so far): a read waits only while
   * another unfinished thread may still write there. `denied` notes a wait refused for want
   * of a writer, so that explore.ts can search again if one is learnt later.
   */
  writes?: {
    may(thread: number, loc: number): boolean;
    learn(thread: number, loc: number): void;
    denied(loc: number): void;
  };
  /**
   * Whether a state (each thread's trace so far and its reads' sources) can still complete into
   * an accepted execution (partial.ts): false abandons it with everything below it. `model`:
   * ask the model too, not only coherence.
   */
  admits(
    threads: readonly PartialThread[],
    model: boolean,
    step?: { thread: number; before: PartialThread },
  ): boolean;
  /** Called at each state: a budget's tick. */
  tick(): void;
  /** Called at each new state visited (live counts for a caller whose budget may stop it). */
  onState?(): void;
  /**
   * Called at each state where every unfinished thread waits for good (each blocked at an
   * await by a write done that may be its location's last, or at a lock another holds): a
   * deadlock if the model accepts it with each await reading that last write (explore.ts
   * checks), with the threads that finished.
   */
  onDeadlock?(blocked: BlockedThread[], finished: FinishedThread[]): void;
  /** Called when the first possible livelock is met (SearchStats.livelock), at once. */
  onLivelock?(l: NonNullable<SearchStats['livelock']>): void;
  /** Set by search: the share of it done so far (0..1), for a report of where a stop left it. */
  progress?: { share: () => number };
  /** lkmm: what the rounds before searched; this one searches only what the domain adds. */
  rounds?: Rounds<R>;
}

/** A complete combination: every thread's finished replay and its answers. */
export interface Finished<R> {
  answers: readonly number[];
  replay: Extract<Replay<R>, { kind: 'done' }>;
  /** lkmm: how many of its reads the search guessed on the way (docs/explore.md). */
  guesses?: number;
}

export interface SearchStats {
  /** States visited. */
  states: number;
  /** Paths cut at the loop bound. */
  cut: number;
  /** Paths cut at MAX_THREAD_EVENTS (a run that long with no pass: thread.ts). */
  eventsCut: number;
  /** States abandoned as no accepted execution's (partial.ts: coherence, the model's axioms). */
  incoherent: number;
  /** States abandoned for a guess that no thread can still write, or not coherently (lkmm). */
  unjustified: number;
  /** Paths that needed one more guess than allowed (lkmm). */
  guessesCut: number;
  /** States where every unfinished thread waited and a read guessed, or had no value to (lkmm). */
  guessStates: number;
  /**
   * The first path cut at the loop bound while its loop repeated itself exactly (thread.ts) and
   * nothing the other threads can still do changes what it reads (livelock.ts).
   */
  livelock?: { thread: number; cycle: TracedEvent[] };
}

/**
 * Whether writes[i] may be the last write of its location once the writes done are all there
 * are: no later write of its thread there (coherence follows program order), and the initial
 * one only when no thread wrote there. (`writes`: the initial write, then each thread's in
 * program order, as search.ts's sourcesFor gives them.)
 */
function mayBeLast(writes: readonly Offer[], i: number): boolean {
  const { thread, index } = writes[i]!.key;
  if (thread < 0) return writes.length === 1;
  return !writes.some((w) => w.key.thread === thread && w.key.index > index);
}

/** Passes past the loop bound a loop that reads nothing is run on, to see whether it ends (cutAt). */
const PROBED_PASSES = 64;

/** Guesses made on the way to a state (pending or not). */
function guessesIn<R>(states: readonly ThreadState<R>[]): number {
  let n = 0;
  for (const s of states) n += s.guesses;
  return n;
}

/** Visit every complete combination (possibly more than once: explore.ts dedupes). */
export function search<R>(
  opts: SearchOptions<R>,
  visit: (runs: Finished<R>[]) => void,
): SearchStats {
  const stats: SearchStats = {
    states: 0,
    cut: 0,
    eventsCut: 0,
    incoherent: 0,
    unjustified: 0,
    guessesCut: 0,
    guessStates: 0,
  };
  // The share of the search done: each level's branch index out of its count, near the root.
  const levels: { i: number; n: number }[] = [];
  const shareDone = () => {
    let share = 0;
    let weight = 1;
    for (const { i, n } of levels) {
      share += (weight * i) / n;
      weight /= n;
    }
    return share;
  };
  if (opts.progress) opts.progress.share = shareDone;

  // The threads' prefixes, each with its replay.
  const learn = (thread: number, r: Replay<R>) => {
    for (const e of r.trace.events) if (e.dir === 'W') opts.writes?.learn(thread, e.loc);
  };
  // lkmm's rounds keep what this round searched for the next (a search alone: its own)
  const rounds = opts.rounds ?? new Rounds<R>();
  rounds.prefixes ??= new Prefixes(
    new ReplayCache(opts.body, { space: opts.space, loopBound: opts.loopBound }),
    opts.writes && learn,
  );
  const prefixes = rounds.prefixes;
  const waits = rounds.waits;
  // A run cut at the loop bound (or MAX_THREAD_EVENTS), counted (the answer is bounded), in
  // state `states`: a possible livelock if its pass repeats and the others cannot break it.
  // (`probing`: the livelock check's own look at another thread's next step counts nothing)
  let probing = false;
  const cutAt = (
    states: readonly ThreadState<R>[],
    thread: number,
    r: Extract<Replay<R>, { kind: 'cut' }>,
    answers: readonly number[],
  ): 'cut' => {
    if (probing) return 'cut';
    if (r.by === 'events') stats.eventsCut++;
    else stats.cut++;
    if (!r.cycle || stats.livelock) return 'cut';
    const cut = { trace: r.trace, cycle: r.cycle };
    const blocked = (u: number) => blockedAt(states as ThreadState<R>[], u, true);
    probing = true;
    try {
      if (livelocked(states, thread, cut, init, blocked) && !endsOnItsOwn(thread, r, answers)) {
        stats.livelock = { thread, cycle: r.cycle };
        opts.onLivelock?.(stats.livelock);
      }
    } finally {
      probing = false;
    }
    return 'cut';
  };

  // A loop whose repeating pass reads nothing (a counted delay loop, or one that spins on
  // nothing for ever) asks the search nothing: run on, PROBED_PASSES more passes, it either
  // ends by itself (not a livelock: its counter was outside the explorer's view), finishing or
  // reaching a read or a lock, or is cut again. (A choice, need_resched(), may be the loop's own.)
  const endsOnItsOwn = (
    thread: number,
    r: Extract<Replay<R>, { kind: 'cut' }>,
    answers: readonly number[],
  ): boolean => {
    if (r.by !== 'loop' || r.cycle!.some((e) => e.dir === 'R')) return false;
    const longer = replay((t) => opts.body(thread, t), answers, {
      thread,
      space: opts.space,
      loopBound: opts.loopBound + PROBED_PASSES,
    });
    return longer.kind === 'done' || (longer.kind === 'asks' && longer.question.kind !== 'choice');
  };

  // The writes a read of `loc` may read from now: the initial one and every write done.
  const initialWrites = new Map<number, Offer>();
  const writesAt = (states: ThreadState<R>[], loc: number) => {
    let init = initialWrites.get(loc);
    if (!init) {
      init = { key: { thread: -1, index: 0 }, id: 0, value: opts.space.init(loc) };
      initialWrites.set(loc, init);
    }
    const out = [init];
    for (let thread = 0; thread < states.length; thread++)
      for (const w of offersIn(states[thread]!.p.trace, thread, loc)) out.push(w);
    return out;
  };
  // The writes read question q of thread t may read from now (a lock read's: lock-reads.ts).
  const sourcesFor = (
    states: ThreadState<R>[],
    t: number,
    q: { loc: number; lock?: true },
  ): readonly Offer[] =>
    q.lock
      ? lockWritesAt(
          states.map((x) => x.p.trace),
          t,
          q.loc,
        ).map((w) => ({ ...w, id: keyOf(w.key) }))
      : writesAt(states, q.loc);

  const partial: PartialThread[] = [];
  const step: { thread: number; before: PartialThread } = { thread: 0, before: prefixes.root(0) };
  // Thread t answers `a` (a read's value from `source`, a choice, or a lock taken): the new
  // state, or why there is none (blocked at an await, cut, or incoherent: no accepted execution
  // passes through it, partial.ts says — the model asked too unless `coherenceOnly`). A run
  // cut at the loop bound counts only if its state passes that check.
  const answer = (
    states: ThreadState<R>[],
    t: number,
    a: number,
    source?: Source,
    coherenceOnly = false,
  ): ThreadState<R>[] | Extract<Replay<R>, { kind: 'blocked' }> | 'cut' | 'incoherent' => {
    const old = states[t]!;
    const p = prefixes.child(old.p, a, source);
    const r = p.replay;
    if (r.kind === 'blocked') return r;
    // Only a read from a known write adds edges out of the thread's last events (partial.ts).
    const model = !coherenceOnly && source !== undefined && source !== 'guess';
    // (reused, as admits keeps neither: most answers are asked here, a third of them refused)
    partial.length = states.length;
    for (let i = 0; i < states.length; i++) partial[i] = i === t ? p : states[i]!.p;
    step.thread = t;
    step.before = old.p;
    if (!opts.admits(partial, model, step)) {
      stats.incoherent++;
      return 'incoherent';
    }
    if (r.kind === 'cut') return cutAt(states, t, r, p.answers);
    const s: ThreadState<R> = { p, guesses: old.guesses + (source === 'guess' ? 1 : 0) };
    return states.map((x, i) => (i === t ? s : x));
  };
  // The states after thread t answers `a`: the one answer() gives, and with each pending guess
  // of another thread that a write t just made can justify, also with that write as its
  // source (each combination; partial.ts checks them).
  // `probe`: only asked whether some state follows (past the guess cap), none kept.
  const extend =
    (states: ThreadState<R>[], t: number, a: number, source?: Source, probe = false) =>
    (): ThreadState<R>[][] => {
      const next = answer(states, t, a, source);
      if (!Array.isArray(next)) return [];
      if (source === 'guess' && redundant(next[t]!, states[t]!.p.sources.length)) return [];
      const out: ThreadState<R>[][] = [];
      const from = states[t]!.p.trace.events.length;
      for (const resolved of resolutions(next, t, from, prefixes)) {
        if (resolved !== next) {
          const partial = resolved.map((x) => x.p);
          if (!opts.admits(partial, true)) {
            stats.incoherent++;
            continue;
          }
        }
        const same = resolved === next && source !== 'guess' && quietStep(next, t, from);
        if (asking && !same) {
          asking.start();
          if (!justifiable(resolved, asking, opts)) {
            stats.unjustified++;
            if (!probe) rounds.unjustified.push({ states: resolved, asked: asking.asked() });
            continue;
          }
        }
        out.push(resolved);
      }
      return out;
    };
  // The domain, noting what each check of a state asks it (kept with a state it drops: rounds.ts)
  const asking = opts.guesses && new AskingGuesses(opts.guesses);
  // Whether thread t's step to `states` (its events from `from` on) leaves the state's pending
  // guesses as justifiable as they were before it (true: every state extended was, and the
  // domain only grows): t still asks (the writers are the same threads), guessed nothing, and
  // made no event at a location some pending guess reads (pending.ts looks at nothing else).
  const quietStep = (states: ThreadState<R>[], t: number, from: number): boolean => {
    if (states[t]!.p.replay.kind !== 'asks') return false;
    const events = states[t]!.p.trace.events;
    for (const x of states)
      for (const g of x.p.guessed ?? [])
        for (let i = from; i < events.length; i++) if (events[i]!.loc === g.loc) return false;
    return true;
  };
  // A read that would guess the value of the write it saw last there reads that write instead
  // (pending.ts). Not under a cap: that path may need a guess elsewhere, and "within N guessed
  // reads" (docs/explore.md) is about the path with this guess.
  const uncapped = (opts.maxGuesses ?? MAX_GUESSES) === Number.POSITIVE_INFINITY;
  const init = (loc: number) => opts.space.init(loc);
  const redundant = (s: ThreadState<R>, read: number) =>
    uncapped && opts.guessPruning !== false && repeatsView(s.p.trace, s.p.sources, read, init);
  // Thread t answers its choice of n: each answer.
  const choices = (states: ThreadState<R>[], t: number, n: number) =>
    Array.from({ length: n }, (_, a) => extend(states, t, a));
  // Thread t waits, offered `keys` (writes, or a lock's releases) so far.
  const park = (states: ThreadState<R>[], t: number, keys: readonly number[]) => () => [
    states.map((x, i) => (i === t ? { ...x, waiting: waits.of(keys) } : x)),
  ];

  // The branches of one state, as states to visit (undefined: abandoned).
  const branches = (states: ThreadState<R>[]): (() => ThreadState<R>[][])[] | 'complete' => {
    let unfinished = 0;
    for (const s of states) if (s.p.replay.kind === 'asks') unfinished++;
    for (let t = 0; t < states.length; t++) {
      const s = states[t]!;
      if (s.p.replay.kind !== 'asks') continue;
      const q = s.p.replay.question;
      if (q.kind === 'choice') {
        // spin_trylock(): answered now, or after the others went first (as spin_lock() may
        // wait): a trylock retried against a lock another took and kept goes round for good
        // whichever thread is declared first (the livelock check, livelock.ts, needs that state)
        if (q.what === 'spin_trylock' && unfinished > 1) {
          if (s.waiting) continue;
          return [...choices(states, t, q.n), park(states, t, [])];
        }
        return choices(states, t, q.n);
      }
      if (q.kind === 'lock') {
        const releases = unlocksAt(states, q.loc);
        if (s.waiting && releases.every((k) => s.waiting!.keys.has(k))) continue;
        // Taken by another (or by itself: a deadlock of one): wait for its release. Free: take
        // it now, or let the others go first (their critical sections may come before this one).
        if (holder(states, q.loc) >= 0) return [park(states, t, releases)];
        const take = extend(states, t, 0);
        return unfinished > 1 ? [take, park(states, t, releases)] : [take];
      }
      const writes = sourcesFor(states, t, q);
      // A lock read inside its own critical section reads its own LKW, nothing else (lock.cat).
      if (q.lock && writes[0]!.key.thread === t) return [extend(states, t, HELD, writes[0]!.key)];
      const fresh = writes.filter((w) => !s.waiting?.keys.has(w.id));
      if (fresh.length === 0) continue;
      const offered = writes.map((w) => w.id);
      // Waiting helps only while another unfinished thread may still write there.
      const writer = states.some(
        (x, u) => u !== t && x.p.replay.kind === 'asks' && (opts.writes?.may(u, q.loc) ?? true),
      );
      if (!writer && unfinished > 1) opts.writes?.denied(q.loc);
      if (!writer) {
        // No write to wait for: the thread reads one of those done, or, if one that may be the
        // location's last leaves its await blocked, waits here: for good if it reads that one
        // last (the others go on; a deadlock if they end up waiting too, judge.ts decides),
        // even where an earlier write would have let it out (a window it may miss).
        const out = fresh.map((w) => extend(states, t, w.value, w.key));
        out.push(() => (blockedAt(states, t) ? park(states, t, offered)() : []));
        return out;
      }
      // Waiting first: the other threads run ahead, and this one then reads any mix of their
      // old and new values, which is where a weak outcome usually is (a reachable answer
      // found early lets a search asked `until` stop; the whole search is the same).
      return [park(states, t, offered), ...fresh.map((w) => extend(states, t, w.value, w.key))];
    }
    if (unfinished === 0) return 'complete';
    // a spin_trylock() that let the others go first: they have, it answers now
    for (const [t, s] of states.entries())
      if (s.p.replay.kind === 'asks' && s.p.replay.question.kind === 'choice')
        return choices(states, t, s.p.replay.question.n);
    noteDeadlock(states);
    if (!opts.guesses) return [];
    // Every unfinished thread waits: a thread waiting at a read guesses, the one with the
    // fewest values to guess (rounds.ts guessingRead; lock waits end in some thread's read: a
    // cycle of lock waits alone is a deadlock, or no execution's).
    const capped = guessesIn(states) >= (opts.maxGuesses ?? MAX_GUESSES);
    // past the cap with a path already cut there: nothing to probe, nor to ask again (capCut)
    if (capped && rounds.cutAtCap) return [];
    const guessing = guessingRead(states, opts.guesses, opts);
    if (!guessing) return [];
    const { t, values } = guessing;
    const record = { states, t, offered: values, capped, cut: false };
    rounds.guessed.push(record);
    stats.guessStates++;
    if (!capped) return values.map((v) => extend(states, t, v, 'guess'));
    capCut(roundSearch, record, values);
    return [];
  };

  // Thread t's await at a read: the runs in which it reads a write that may be its location's
  // last (what it reads for good once no thread writes there any more: mayBeLast) and stays
  // blocked (or cannot read it, coherence says: no run). Whether it reads that write last is
  // the model's to say (judge.ts deadlock). Undefined: no such write leaves it blocked (not an
  // await, or let out). `every` (livelock.ts): undefined as soon as any write it may read
  // lets it go on.
  const blockedRuns = (states: ThreadState<R>[], t: number, every = false) => {
    const s = states[t]!;
    if (s.p.replay.kind !== 'asks' || s.p.replay.question.kind !== 'read') return undefined;
    const writes = sourcesFor(states, t, s.p.replay.question);
    // Not an await's read unless some write leaves it blocked: most waits are plain reads, and
    // this asks only the replays (cached), not the checks.
    if (!writes.some((w) => prefixes.child(s.p, w.value, w.key).replay.kind === 'blocked'))
      return undefined;
    const runs: Extract<Replay<R>, { kind: 'blocked' }>[] = [];
    for (const [i, w] of writes.entries()) {
      if (!every && !mayBeLast(writes, i)) continue;
      // coherence only: which writes let it out is as it was before the model's check came in
      const next = answer(states, t, w.value, w.key, true);
      if (Array.isArray(next) || next === 'cut') {
        if (every) return undefined;
      } else if (next !== 'incoherent') runs.push(next);
    }
    return runs.length > 0 ? runs : undefined;
  };
  const blockedAt = (states: ThreadState<R>[], t: number, every = false) =>
    blockedRuns(states, t, every) !== undefined;

  // Every unfinished thread waits for good (deadlocked-state.ts): the explorer checks it with
  // the model.
  const noteDeadlock = (states: ThreadState<R>[]) => {
    if (!opts.onDeadlock) return;
    const deadlock = deadlockIn(states, (x, t) => blockedRuns(x, t));
    if (deadlock) opts.onDeadlock(deadlock.threads, deadlock.finished);
  };

  // States met before (by their answers, sources and waits): the same state is reached by
  // different orders of answering and waiting; its subtree is searched once.
  const visited = rounds.visited;
  const capped = opts.guesses !== undefined && (opts.maxGuesses ?? MAX_GUESSES) < Infinity;
  const visitState = (states: ThreadState<R>[]): void => {
    opts.tick();
    // Under a cap, the guesses made so far are part of the state: a guess resolved to a write
    // has that write's key, as a read that took it without guessing has.
    const key = capped ? stateKey(states) + packKey([guessesIn(states)]) : stateKey(states);
    if (visited.has(key)) return;
    visited.add(key);
    stats.states++;
    opts.onState?.();
    const next = branches(states);
    if (next === 'complete') {
      visit(
        states.map((s) => ({
          answers: s.p.answers,
          replay: s.p.replay as Finished<R>['replay'],
          ...(s.guesses > 0 && { guesses: s.guesses }),
        })),
      );
      return;
    }
    const level = levels.length < 24 ? { i: 0, n: next.length } : undefined;
    if (level) levels.push(level);
    for (const make of next) {
      for (const child of make()) visitState(child);
      if (level) level.i++;
    }
    if (level) levels.pop();
  };

  // What rounds.ts asks of this search (lkmm: only used with guesses).
  const roundSearch: RoundSearch<R> = {
    guesses: opts.guesses!,
    space: opts.space,
    ...(opts.guessPruning !== undefined && { guessPruning: opts.guessPruning }),
    ...(opts.allMarked !== undefined && { allMarked: opts.allMarked }),
    stats,
    rounds,
    extend,
    visitState,
  };
  if (rounds.count++ > 0) {
    resume(roundSearch, rounds);
    return stats;
  }
  const initial: ThreadState<R>[] = [];
  for (let t = 0; t < opts.threads; t++) initial.push({ p: prefixes.root(t), guesses: 0 });
  for (const [t, { p }] of initial.entries()) {
    if (p.replay.kind === 'cut') cutAt(initial, t, p.replay, p.answers);
    if (p.replay.kind !== 'asks' && p.replay.kind !== 'done') return stats;
  }
  visitState(initial);
  return stats;
}
