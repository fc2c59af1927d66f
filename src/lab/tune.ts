// The tuner's search: which knobs (runtime/litmus/knobs.ts) make this machine show a test's
// relaxed outcome most often. It knows nothing of how a trial runs: `measure` runs the target
// with some knobs for a slice of time and says how many runs and witnesses it got; lab's
// run-tune.ts gives it real runs, the tests a made-up machine.
//
// Coordinate descent, as litmus7 users tune by hand and GPUHarbor's tuning mode does over its
// stress parameters: from the starting knobs, try every candidate value of one knob with the
// others held, keep the best, go on to the next knob; when the budget allows another pass, go
// round again from the best (re-measured first: the machine's load changes). A candidate
// replaces the best only when it beats it by MARGIN, so that noise does not wander.
//
// On a busy machine one trial is a coin flip (whether both threads had a CPU during its few
// batches), so a search can crown a lucky candidate. Before the best replaces the starting knobs
// both are measured once more (the confirmation rows, longer): the starting knobs stay unless
// the best beats them again, by MARGIN, in that round.
//
// The score is witnesses per second of running: what a run of a given time shows. A mode that
// doubles the witness rate at a third of the speed shows fewer witnesses in the same time; the
// table prints the rate (witnesses per run) beside it.

import { UserError } from '../errors.ts';
import { KNOBS, type KnobName, type Knobs } from '../runtime/litmus/knobs.ts';

/** A candidate must beat the best by this much (relative) to replace it. */
export const MARGIN = 0.1;
/** The shortest slice a trial gets, whatever the budget (a run must reach its second batch). */
export const MIN_SLICE_S = 0.3;
/** The shortest slice of a confirmation trial: several batches, past one burst of load. */
export const CONFIRM_SLICE_S = 2;
/** The order the knobs are tried in: those that matter most on the machines measured first. */
export const SEARCH_ORDER: readonly KnobName[] = [
  'start',
  'delay',
  'meet',
  'stride',
  'pad',
  'size',
  'order',
  'placement',
  'stress',
];

/** What one trial of some knobs gave. */
export interface Measurement {
  runs: number;
  witnesses: number;
  /** Seconds the batches ran (without starting and stopping workers). */
  seconds: number;
}

export interface TuneTrial extends Partial<Measurement> {
  knobs: Knobs;
  /** Why these knobs could not run here (a UserError's message): the trial is skipped. */
  refused?: string;
  /** A confirmation: the starting or the best knobs measured again, pooled with their first trial. */
  confirms?: true;
}

export type Measure = (knobs: Knobs, sliceSeconds: number) => Promise<Measurement>;

export interface SearchOptions {
  /** Seconds for the whole search (trials run for slices of it). */
  budgetSeconds: number;
  /** Where the search starts (the defaults, or this machine's preset). */
  start: Knobs;
  /** Knobs the search leaves as `start` has them (those given on the command line). */
  hold?: readonly KnobName[];
  signal?: AbortSignal;
  /** Called after each trial, for the live table. */
  onTrial?: (trial: TuneTrial, index: number) => void;
}

export interface SearchResult {
  trials: TuneTrial[];
  /** The best trial that showed a witness; undefined when none did (nothing to rank). */
  best: TuneTrial | undefined;
}

/** Witnesses per second of running; 0 for a trial that did not run. */
export const score = (t: TuneTrial): number =>
  t.witnesses && t.seconds ? t.witnesses / t.seconds : 0;

/** The candidate knobs one at a time around `base`, in SEARCH_ORDER, without `base` itself. */
export function neighbours(base: Knobs, hold: readonly KnobName[] = []): Knobs[] {
  const out: Knobs[] = [];
  for (const name of SEARCH_ORDER.filter((n) => !hold.includes(n)))
    for (const v of KNOBS[name].candidates as readonly unknown[])
      if (v !== base[name]) out.push({ ...base, [name]: v });
  return out;
}

export async function searchKnobs(measure: Measure, opts: SearchOptions): Promise<SearchResult> {
  const trials: TuneTrial[] = [];
  const hold = opts.hold ?? [];
  const perPass = 1 + neighbours(opts.start, hold).length;
  const started = performance.now();
  const spent = () => (performance.now() - started) / 1000;
  // What a trial costs beyond its slice (starting its workers, the model's bounds): the last one's.
  let overhead = 0;
  // The slice of the next trial: the budget left, shared by the trials left in this pass.
  let left = perPass;
  const slice = () =>
    Math.max(MIN_SLICE_S, (opts.budgetSeconds - spent()) / Math.max(1, left) - overhead);
  const stopped = () =>
    opts.signal?.aborted === true || spent() + MIN_SLICE_S + overhead > opts.budgetSeconds;

  const trial = async (knobs: Knobs, confirms = false): Promise<TuneTrial> => {
    let t: TuneTrial;
    const s = Math.max(confirms ? CONFIRM_SLICE_S : MIN_SLICE_S, slice());
    const t0 = performance.now();
    try {
      t = { knobs, ...(await measure(knobs, s)) };
      overhead = Math.max(0, (performance.now() - t0) / 1000 - s);
    } catch (e) {
      // A knob this engine or test cannot take (pinned in a browser, a pad too small for a
      // spinlock) is a row of the table, not the end of the search.
      if (!(e instanceof UserError)) throw e;
      t = { knobs, refused: e.message };
    }
    if (confirms) t.confirms = true;
    trials.push(t);
    left--;
    opts.onTrial?.(t, trials.length - 1);
    return t;
  };

  const first = await trial(opts.start);
  let best = first;
  // Another pass only while the last one found better knobs and the budget allows one.
  for (let pass = 0, improved = true; improved && (pass === 0 || !stopped()); pass++) {
    if (pass > 0) {
      left = perPass;
      best = await trial(best.knobs);
    }
    improved = false;
    for (const name of SEARCH_ORDER.filter((n) => !hold.includes(n))) {
      for (const v of KNOBS[name].candidates as readonly unknown[]) {
        // The first pass tries every knob even on a short budget: the table is the point.
        if (opts.signal?.aborted || (pass > 0 && stopped())) break;
        if (v === best.knobs[name]) continue;
        const t = await trial({ ...best.knobs, [name]: v });
        if (score(t) > score(best) * (1 + MARGIN)) {
          best = t;
          improved = true;
        }
      }
    }
  }
  if (best !== first && !first.refused && !opts.signal?.aborted) {
    left = 2;
    best = await confirmed(first, best, (t) => trial(t.knobs, true));
  }
  return { trials, best: score(best) > 0 ? best : undefined };
}

/**
 * `best` measured again beside `start`, each once more: the winner of that second, independent
 * round (the best only by MARGIN), with its figures from it — the first round chose `best` for
 * being high, so its figures there are biased upwards (the winner's curse).
 */
async function confirmed(
  start: TuneTrial,
  best: TuneTrial,
  again: (t: TuneTrial) => Promise<TuneTrial>,
): Promise<TuneTrial> {
  const s = await again(start);
  const b = await again(best);
  if (b.refused) return s.refused ? start : s;
  if (s.refused) return b;
  // The knobs object of the first trial: the table's row and the hosts are keyed by it.
  const won =
    score(b) > score(s) * (1 + MARGIN) ? { ...b, knobs: best.knobs } : { ...s, knobs: start.knobs };
  return won;
}
