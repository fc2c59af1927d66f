// lkmm's search in rounds (docs/explore.md "lkmm's load buffering: guesses", Rounds). The
// guesses' domain grows as executions are accepted, so lkmm's search runs in rounds
// (explore.ts). A round after the first searches only what the grown domain adds (Rounds):
// the states met before are kept, and so is each place the domain was asked — a guess and the
// values it was offered, a state dropped for a guess no thread could write — and only those
// are asked again: a new value's guess, a state now justified, is searched from there.
// Here too: the values a read may guess (guessValues) and what a guess past the cap is
// (capCut), as a round asks both again.
//
// This module neither visits states nor resolves guesses: it hands states to the search it is
// given (search.ts) and asks guess-resolution.ts whether a dropped state is now justified.

import type { Value } from '../litmus/ir.ts';
import { type Asked, AskingGuesses, sameAnswers } from './asked-guesses.ts';
import { type Guesses, justifiable } from './guess-resolution.ts';
import { FREE, HELD } from './lock-reads.ts';
import type { Source } from './partial.ts';
import { type Prefixes, Waits } from './prefixes.ts';
import type { ThreadState } from './search-state.ts';
import type { Space } from './thread.ts';

/**
 * What a search keeps for the next round (lkmm). The domain only grows, and every answer it
 * gives only grows with it, so the next round's search is this one's plus the branches its
 * new answers add: each state kept here is asked again, and a branch it now has is searched
 * (states met before are not: their subtrees were, and the places in them that asked the
 * domain are kept here too). The union is the search a first round with the final domain
 * would make, state for state, but for which read guesses where every thread waits: the round
 * that met the state chose it (guessingRead) with its own domain, and the later rounds offer
 * that read what the domain gained — as complete (docs/explore.md).
 */
export class Rounds<R> {
  /** Rounds searched so far. */
  count = 0;
  /** Every state searched (stateKey), and the thread prefixes and waits they were made of. */
  readonly visited = new Set<string>();
  prefixes?: Prefixes<R>;
  readonly waits = new Waits();
  /**
   * Each state where thread t's read guessed: the values it was offered (the domain's values
   * only grow, so a longer list has new ones). `capped`: past the cap, where a guess that
   * leads on is a cut, not a branch (`cut`: one did); `unsettled` are the values whose guess
   * was dropped as unjustified (a grown domain may justify it).
   */
  readonly guessed: {
    states: ThreadState<R>[];
    t: number;
    offered: readonly Value[];
    capped: boolean;
    cut: boolean;
    unsettled?: Value[];
  }[] = [];
  /**
   * States dropped for a pending guess no unfinished thread could write (justifiable), each with
   * what that check asked the domain (undefined: not kept, the check runs again).
   */
  unjustified: { states: ThreadState<R>[]; asked: Asked | undefined }[] = [];
  /**
   * Some path of some round was cut at the cap: the answer is "within N guessed reads"
   * whatever else is cut, so no later guess past the cap is probed or kept (capCut).
   */
  cutAtCap = false;
}

/** What a round's steps need of the search they run in (search.ts's closures and counts). */
export interface RoundSearch<R> {
  guesses: Guesses;
  space: Space;
  guessPruning?: boolean;
  /** false: the program has a plain access (search.ts allMarked). */
  allMarked?: boolean;
  stats: { unjustified: number; guessesCut: number };
  /** What the rounds keep (this search's own when it runs without rounds). */
  rounds: Rounds<R>;
  /** The states after thread t answers `a` (search.ts extend); `probe`: none kept. */
  extend(
    states: ThreadState<R>[],
    t: number,
    a: number,
    source?: Source,
    probe?: boolean,
  ): () => ThreadState<R>[][];
  visitState(states: ThreadState<R>[]): void;
}

// The values thread t's read may guess: those the other unfinished threads may write there.
export function guessValues<R>(states: ThreadState<R>[], t: number, guesses: Guesses) {
  const q = states[t]!.p.replay;
  if (q.kind !== 'asks' || q.question.kind !== 'read') return [];
  if (q.question.lock) return [HELD, FREE];
  const writers = states.flatMap((x, u) => (u !== t && x.p.replay.kind === 'asks' ? [u] : []));
  return guesses.values(q.question.loc, writers);
}

/**
 * Which read guesses where every unfinished thread waits: of the threads waiting at a read,
 * the one with the fewest values to guess (the lowest-numbered among equals), with them;
 * undefined if none waits at a read. Any waiting read's guess of an execution's value follows
 * that execution on (docs/explore.md), so any fixed choice is complete, and this one branches
 * least: a read no other unfinished thread ever wrote a value for (no value to guess) ends the
 * state at once, where the lowest thread would guess on below it with nothing able to let the
 * other out (pf-invalidate-race: a third of full-check's states).
 */
export function guessingRead<R>(
  states: ThreadState<R>[],
  guesses: Guesses,
  opts: { guessPruning?: boolean; allMarked?: boolean },
): { t: number; values: readonly Value[] } | undefined {
  let best: { t: number; values: readonly Value[] } | undefined;
  for (let t = 0; t < states.length; t++) {
    const r = states[t]!.p.replay;
    if (r.kind !== 'asks' || r.question.kind !== 'read') continue;
    const values = guessValues(states, t, guesses);
    if (!best || values.length < best.values.length) best = { t, values };
    // (guessPruning false, a test's reference, or a plain access in the program: the
    // lowest-numbered thread, as before — docs/explore.md "Known gap")
    if (values.length === 0 || opts.guessPruning === false || opts.allMarked === false) break;
  }
  return best;
}

// Past the cap: a cut only if some guess leads on (one that the checks drop at once, or
// that leaves an await blocked, is a dead end as it would be below the cap). Once one path
// was cut the answer is bounded as it is, and what else is cut changes nothing in it: no
// more probes (each is a step with its checks, at every state past the cap where every
// thread waits: pf-invalidate-race's full-check has tens of thousands).
export function capCut<R>(
  s: RoundSearch<R>,
  record: Rounds<R>['guessed'][number],
  values: readonly Value[],
): void {
  const { stats, extend } = s;
  if (s.rounds.cutAtCap) return;
  const unsettled: Value[] = [];
  for (const v of values) {
    const dropped = stats.unjustified;
    if (extend(record.states, record.t, v, 'guess', true)().length > 0) {
      stats.guessesCut++;
      s.rounds.cutAtCap = true;
      record.cut = true;
      return;
    }
    if (stats.unjustified > dropped) unsettled.push(v);
  }
  if (unsettled.length > 0) record.unsettled = unsettled;
  else delete record.unsettled;
}

// A round after the first: each place the domain was asked, asked again; what its grown
// answers add is searched (Rounds).
export function resume<R>(s: RoundSearch<R>, r: Rounds<R>): void {
  const { guesses, extend, visitState } = s;
  for (const g of r.guessed) {
    const values = guessValues(g.states, g.t, guesses);
    if (values.length === g.offered.length) {
      if (g.unsettled && !g.cut) capCut(s, g, g.unsettled);
      continue;
    }
    const added = values.filter((v) => !g.offered.includes(v));
    g.offered = values;
    if (g.capped) {
      if (!g.cut && !r.cutAtCap) capCut(s, g, [...(g.unsettled ?? []), ...added]);
      continue;
    }
    for (const v of added)
      for (const child of extend(g.states, g.t, v, 'guess')()) visitState(child);
  }
  // A dropped state whose check the domain would answer as before is dropped again (only the
  // questions asked again: asked-guesses.ts).
  const dropped = r.unjustified;
  r.unjustified = [];
  const asking = new AskingGuesses(guesses);
  for (const d of dropped) {
    if (d.asked && sameAnswers(d.asked, guesses)) {
      r.unjustified.push(d);
      continue;
    }
    asking.start();
    if (justifiable(d.states, asking, s)) visitState(d.states);
    else r.unjustified.push({ states: d.states, asked: asking.asked() });
  }
}
