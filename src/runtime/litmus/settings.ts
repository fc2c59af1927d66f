// A litmus run's settings as its CPUs read them: how many instances, in batches of what size,
// for how long, with which seed, laid out how. The lab resolves them once into the run plan
// (lab/plan.ts, whose RunSettings are these and the model's); that one object then reaches
// the threads backend, the engine that runs the threads (this process, a child engine's
// runner, a browser page), the litmus runner and every CPU's task unchanged, as jcstress hands
// one TestConfig to every layer. Nothing below the plan re-derives a setting: what the runner
// works out from them for one run (the batch size it picks, the barrier, the layout) is the
// run's, not the settings'.
//
// Plain data: it crosses to a child engine as JSON and to a CPU worker by structured clone.
// The knobs (knobs.ts: start synchronisation, delay, layout, batch size, placement, stress)
// are fields here; the lab fills them all (the flags given, this machine's tuned preset, the
// built-in defaults for its CPU); a caller that asks no plan may leave them to knobsOf's defaults.

import { DEFAULT_KNOBS, KNOB_NAMES, type Knobs } from './knobs.ts';

export interface ThreadsSettings extends Partial<Knobs> {
  /** Test instances to run. */
  runs: number;
  /** Seconds; undefined: no budget beyond `runs`. A run it stops is not partial. */
  time?: number;
  /** For a memory object that makes random choices; recorded in the result. */
  seed: number;
}

/** The knobs of `settings`, each one left out taken from DEFAULT_KNOBS (size stays the runner's to pick). */
export function knobsOf(settings: ThreadsSettings): Knobs {
  const given = KNOB_NAMES.flatMap((n) => (settings[n] === undefined ? [] : [[n, settings[n]]]));
  return { ...DEFAULT_KNOBS, ...Object.fromEntries(given) };
}
