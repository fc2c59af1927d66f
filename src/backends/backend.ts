// A backend: one named way to answer "what final states does this litmus test have?" — the
// exhaustive model, real threads on this machine (hw), an emulated CPU (weak). Everything
// above this interface (the CLI, every report) loops over the registry (registry.ts) and
// keys results by backend name; nothing there names a backend.
//
// A backend says what it cannot run before anything runs (`refuse`, with the reason), and
// `run` returns a tagged result (STYLE 18): ran, refused, gave-up (its budget ran out),
// faulted (the test goes wrong in an execution it allows, e.g. a dereference of a register
// that holds no address: the message and where) or interrupted (Ctrl-C: what it collected so
// far). It never throws for what the test does.

import type { EngineChoice } from '../engines/run.ts';
import type { SourcePos } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import type { MemoryKindName } from '../memory/kinds.ts';
import type { ModelChoice, ModelName, Verdict } from '../model/index.ts';
import type { RunsResult } from '../runtime/litmus/run.ts';
import type { ThreadsSettings } from '../runtime/litmus/settings.ts';

/**
 * The settings of one litmus run, the same for every backend (each reads what concerns it):
 * the run plan's (lab/plan.ts), resolved once. A threads backend hands them on unchanged, down
 * to every CPU's task (their ThreadsSettings part: runtime/litmus/settings.ts).
 */
export interface RunSettings extends ThreadsSettings {
  /** The model a `model` backend answers for (the grading column). */
  model: ModelChoice;
  modelTimeoutS: number;
}

export interface BackendHooks {
  signal: AbortSignal;
  /** Progress of a long run: fraction done and a short label. */
  onProgress?: (fraction: number, label: string) => void;
}

/** Why a backend cannot run a test: a sentence, and where in the test when there is a place. */
export interface Refusal {
  reason: string;
  pos?: SourcePos;
}

/** What a backend produced: a model's allowed states, or counted runs on CPUs. */
export type BackendData =
  | { verdict: Verdict; runs?: undefined }
  | { runs: RunsResult; verdict?: undefined };

export type BackendResult =
  | ({ tag: 'ran'; backend: string } & BackendData)
  | ({ tag: 'interrupted'; backend: string } & BackendData)
  | ({ tag: 'refused'; backend: string; reason: string; pos?: SourcePos } & NoData)
  | ({ tag: 'gave-up'; backend: string; reason: string } & NoData)
  | ({ tag: 'faulted'; backend: string; reason: string; pos?: SourcePos } & NoData);

/** Refused, gave-up and faulted carry no data (spelt out so that `r.runs` reads on any result). */
type NoData = { verdict?: undefined; runs?: undefined };

export interface Backend {
  readonly name: string;
  /** One line for `help`, `list`, the README table and reports. */
  readonly description: string;
  /**
   * Models whose allowed states bound what this backend may produce when its CPUs ran memory
   * object `memory`: a state outside one of them is an engine bug, reported loudly (lkmm for
   * every backend that runs threads; also tso for hw's x86 memory object, on x86-64). Empty for
   * a model backend. soundness.ts's runBounds is how every reader asks.
   */
  bounds(memory: MemoryKindName | undefined): readonly ModelName[];
  /** Its results: a model's allowed states ('verdict') or counted runs on CPUs ('runs'). */
  readonly produces: 'verdict' | 'runs';
  /** The memory object its CPUs get for program scenarios; undefined: it runs litmus tests only. */
  readonly scenarioMemory?: MemoryKindName;
  /** It answers program scenarios by exploring every execution (src/explore/), not by running threads. */
  readonly exploresScenarios?: boolean;
  /** Whether `--on` picks it by default for a litmus test (false: only when named). */
  readonly byDefault: boolean;
  refuse(test: Test): Refusal | undefined;
  /**
   * Run a test, or refuse it as `refuse` does (asked here once per run; nothing below asks
   * again). `engine`: where a backend that runs threads runs them (--engine); undefined: this
   * process.
   */
  run(
    test: Test,
    settings: RunSettings,
    hooks: BackendHooks,
    engine?: EngineChoice,
  ): Promise<BackendResult>;
}
