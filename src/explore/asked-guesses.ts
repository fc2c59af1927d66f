// The answers lkmm's guess domain gave one check of a state (guess-resolution.ts justifiable),
// kept with a state the check dropped, so that a later round (rounds.ts resume) asks the domain
// those questions again instead of running the check again: the check is a function of the
// state and of the domain's answers to its questions, so when every answer is the same it asks
// the same questions in the same order and drops the state again. The domain only grows, and
// most dropped states asked it nothing that grew (pf-invalidate-race full-check: round 2 ran the
// check again on every state round 1 dropped, as much CPU as round 1's checks).
//
// What the check asks must come through the Guesses it is handed: an answer that depends on
// the domain by another way would be missed. This module neither checks nor keeps states.

import type { Value } from '../litmus/ir.ts';
import type { Guesses } from './guess-resolution.ts';

/** A check's questions and answers: [kind, thread, location, value, answer] each, flattened. */
export type Asked = readonly number[];

const WRITES = 0;
const PLAIN = 1;
const TIMES = 2;
/** times() of writes of any value (the value field unused). */
const TIMES_ALL = 3;

/** The domain, noting each distinct question a check asks it and the answer (start, asked). */
export class AskingGuesses implements Guesses {
  private readonly log: number[] = [];
  /** False once the check asked something not kept (values(): no check of a state asks it). */
  private whole = true;

  constructor(private readonly domain: Guesses) {}

  /** A new check: nothing asked yet. */
  start(): void {
    this.log.length = 0;
    this.whole = true;
  }

  /** What the check asked since start, or undefined if some of it was not kept. */
  asked(): Asked | undefined {
    return this.whole ? this.log.slice() : undefined;
  }

  values(loc: number, writers: readonly number[]): readonly Value[] {
    this.whole = false;
    return this.domain.values(loc, writers);
  }

  writes(u: number, loc: number, value: Value): boolean {
    return this.note(WRITES, u, loc, value, this.domain.writes(u, loc, value) ? 1 : 0) === 1;
  }

  plain(u: number, loc: number, value: Value): boolean {
    return this.note(PLAIN, u, loc, value, this.domain.plain(u, loc, value) ? 1 : 0) === 1;
  }

  times(u: number, loc: number, value?: Value): number {
    const n = this.domain.times(u, loc, value);
    return value === undefined
      ? this.note(TIMES_ALL, u, loc, 0, n)
      : this.note(TIMES, u, loc, value, n);
  }

  private note(kind: number, u: number, loc: number, value: number, answer: number): number {
    const log = this.log;
    for (let k = 0; k < log.length; k += 5)
      if (log[k] === kind && log[k + 1] === u && log[k + 2] === loc && log[k + 3] === value)
        return answer;
    log.push(kind, u, loc, value, answer);
    return answer;
  }
}

/** Whether `domain` gives every answer of `asked` still (each question asked of it again). */
export function sameAnswers(asked: Asked, domain: Guesses): boolean {
  for (let k = 0; k < asked.length; k += 5) {
    const kind = asked[k]!;
    const u = asked[k + 1]!;
    const loc = asked[k + 2]!;
    const value = asked[k + 3]!;
    const now =
      kind === WRITES
        ? Number(domain.writes(u, loc, value))
        : kind === PLAIN
          ? Number(domain.plain(u, loc, value))
          : domain.times(u, loc, kind === TIMES ? value : undefined);
    if (now !== asked[k + 4]) return false;
  }
  return true;
}
