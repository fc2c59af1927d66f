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
// A new knob of the runner is a field here, a flag (cli/flags.ts), and the code that reads it.

export interface ThreadsSettings {
  /** Test instances to run. */
  runs: number;
  /** Instances per batch (litmus7 -s); undefined: the runner picks by threads and CPUs. */
  size?: number;
  /** Seconds; undefined: no budget beyond `runs`. A run it stops is not partial. */
  time?: number;
  /** For a memory object that makes random choices; recorded in the result. */
  seed: number;
  /** Variables of one instance share lines (undefined: one 64-byte line each). */
  packed?: boolean;
}
