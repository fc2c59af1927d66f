// `smplab run T --tune [--time S]` as a use case: what to measure (tune-targets.ts: T, or its
// relaxation; a family's tests), the search over the knobs (tune.ts) with real runs on hw
// and the engine asked for, every trial's states checked against
// the backend's bounds (a state outside lkmm is a failure whatever the knobs), and the best
// knobs saved as this machine's preset for the family (presets.ts). Returns it all as values;
// the CLI prints.

import type { Backend, BackendResult, RunSettings } from '../backends/backend.ts';
import { backendNamed } from '../backends/registry.ts';
import { type BoundAnswers, gradeRun } from '../backends/soundness.ts';
import { UserError } from '../errors.ts';
import { witnessCounts } from '../litmus/state.ts';
import { faultText } from '../report/litmus-text.ts';
import type { HostInfo } from '../runtime/host.ts';
import type { Knobs } from '../runtime/litmus/knobs.ts';
import { settleKnobs } from './knobs.ts';
import { type LitmusRequest, type LoadedTest, resolveRequest } from './plan.ts';
import { machineKey, type Preset, presetsPath, savePreset } from './presets.ts';
import { type Measurement, score, searchKnobs, type TuneTrial } from './tune.ts';
import { type TuneTarget, tuneTargets, type Untunable } from './tune-targets.ts';

/** The search's budget when --time does not say. */
export const DEFAULT_TUNE_SECONDS = 30;
/** Runs a trial may reach: it ends by its time slice. */
const TRIAL_RUNS = 1e12;

/** A trial as the tune reports it: what it ran on, and any state outside a bound. */
export interface TunedTrial extends TuneTrial {
  host?: HostInfo;
  /** States a bound forbids (an engine or hardware bug, or a broken test): never expected. */
  outside?: string[];
}

export interface TuneRun {
  family: string;
  backend: string;
  /** The engine's label (undefined: this process). */
  engine?: string;
  budgetSeconds: number;
  /** How long the search took, trials and their start-up included. */
  seconds: number;
  targets: TuneTarget[];
  untunable: Untunable[];
  trials: TunedTrial[];
  best?: TunedTrial;
  /** Where the preset was saved, or why it was not. */
  saved: { path: string } | { not: string };
  /** 1: a state outside the bounds in some trial. */
  status: number;
}

export interface TuneHooks {
  signal: AbortSignal;
  onTrial?: (trial: TunedTrial, index: number) => void;
}

export async function runTune(
  tests: LoadedTest[],
  family: string,
  request: LitmusRequest,
  hooks: TuneHooks,
): Promise<TuneRun> {
  const resolved = resolveRequest(request);
  if (resolved.engines)
    throw new UserError(`--tune tunes one engine at a time, not --engine ${request.engine}`);
  const backend = tunedBackend(resolved.backends);
  const { settings } = request;
  const { targets, untunable } = tuneTargets(tests, settings.modelTimeoutS * 1000);
  if (targets.length === 0)
    throw new UserError(
      `nothing to tune on: ${untunable.map((u) => `${u.name}: ${u.reason}`).join('; ')}`,
    );
  const engine = resolved.engine;
  const start = settleKnobs({
    family,
    given: settings,
    untuned: request.untuned,
    engine,
    ...(request.device && { device: request.device }),
  });
  const budgetSeconds = settings.time ?? DEFAULT_TUNE_SECONDS;
  // Each target's bounds, found once (the model's search, under the budget and Ctrl-C).
  const answers: BoundAnswers[] = targets.map(() => new Map());
  const hosts = new Map<Knobs, HostInfo>();
  const outside = new Map<Knobs, string[]>();

  const measure = async (knobs: Knobs, slice: number): Promise<Measurement> => {
    const m: Measurement = { runs: 0, witnesses: 0, seconds: 0 };
    for (const [i, target] of targets.entries()) {
      const trial: RunSettings = {
        ...settings,
        ...knobs,
        runs: TRIAL_RUNS,
        time: slice / targets.length,
      };
      const r = ranOrRefused(
        await backend.run(target.test, trial, { signal: hooks.signal }, engine),
      );
      m.runs += r.runs;
      m.witnesses += witnessCounts(target.test, r.histogram).positive;
      m.seconds += r.elapsedMs / 1000;
      hosts.set(knobs, r.host);
      const ran: BackendResult = { tag: 'ran', backend: backend.name, runs: r };
      const graded = await gradeRun(target.test, [ran], settings, hooks.signal, answers[i]);
      const states = [...new Set(graded.breaches.flatMap((b) => b.states))];
      if (states.length) outside.set(knobs, [...(outside.get(knobs) ?? []), ...states]);
    }
    return m;
  };

  const began = performance.now();
  const found = await searchKnobs(measure, {
    budgetSeconds,
    start: start.knobs,
    hold: start.origin.given,
    signal: hooks.signal,
    onTrial: (t, i) => hooks.onTrial?.(tunedTrial(t, hosts, outside), i),
  });
  const trials = found.trials.map((t) => tunedTrial(t, hosts, outside));
  const best = found.best && tunedTrial(found.best, hosts, outside);
  const run: TuneRun = {
    family,
    backend: backend.name,
    ...(engine && { engine: engine.label }),
    budgetSeconds,
    seconds: (performance.now() - began) / 1000,
    targets,
    untunable,
    trials,
    ...(best && { best }),
    saved: { not: '' },
    status: trials.some((t) => t.outside?.length) ? 1 : 0,
  };
  run.saved = save(run, hooks.signal.aborted);
  return run;
}

/**
 * The backend tuned: hw. The knobs bring out what this machine's hardware allows; weak's
 * relaxations are its own seeded choices, and a preset is the machine's for every backend.
 */
function tunedBackend(names: string[]): Backend {
  if (!names.includes('hw'))
    throw new UserError(
      "--tune tunes hw, this machine's CPUs (weak's relaxations are its own seeded choices): leave --on out or name hw",
    );
  return backendNamed('hw');
}

/** A trial's runs, or a UserError for the search to record as refused (its reason, or the fault). */
function ranOrRefused(r: BackendResult) {
  if (r.tag === 'refused' || r.tag === 'gave-up' || r.tag === 'faulted')
    throw new UserError(r.reason);
  if (!r.runs) throw new Error(`internal: a threads backend answered ${r.tag} without runs`);
  if (r.runs.fault) throw new UserError(faultText(r.runs.fault));
  return r.runs;
}

function tunedTrial(
  t: TuneTrial,
  hosts: Map<Knobs, HostInfo>,
  outside: Map<Knobs, string[]>,
): TunedTrial {
  const host = hosts.get(t.knobs);
  const bad = outside.get(t.knobs);
  return { ...t, ...(host && { host }), ...(bad && { outside: bad }) };
}

/** The best trial as this machine's preset for the family; or why it is not saved. */
function save(run: TuneRun, interrupted: boolean): TuneRun['saved'] {
  const { best } = run;
  if (interrupted) return { not: 'the search was interrupted' };
  if (run.status !== 0) return { not: 'a trial showed a state outside the model' };
  if (!best?.host || best.runs === undefined || best.witnesses === undefined) {
    // Some trial had witnesses, but its knobs showed none when measured again (tune.ts).
    const first = run.trials.filter((t) => !t.confirms);
    const top = first.reduce<TunedTrial | undefined>(
      (b, t) => (score(t) > (b ? score(b) : 0) ? t : b),
      undefined,
    );
    const lucky = top ? run.trials.indexOf(top) : -1;
    if (lucky >= 0)
      return {
        not: `the best trial (#${lucky + 1}) showed no witness when measured again beside the starting knobs, nor did they: nothing confirmed (a busy machine: tune again when it is quieter, or with a longer --time)`,
      };
    return { not: 'no trial showed a witness: nothing to rank the knobs by' };
  }
  const preset: Preset = {
    machine: machineKey(best.host),
    family: run.family,
    knobs: best.knobs,
    tests: run.targets.map((t) => (t.relaxed ? `${t.of} (relaxed)` : t.of)),
    tunedAt: new Date().toISOString(),
    score: { runs: best.runs, witnesses: best.witnesses, seconds: best.seconds ?? 0 },
  };
  const path = presetsPath();
  savePreset(preset, path);
  return { path };
}
