// The knobs a litmus run gets (runtime/litmus/knobs.ts), settled once into its plan: each one
// given on the command line; else this machine's tuned preset for the test's family
// (presets.ts), unless --untuned; else the built-in ones for this kind of CPU (CPU_KNOBS);
// else DEFAULT_KNOBS. A browser elsewhere (--browser-url) has no CPU kind a page can know: its
// preset is found by its user agent and cores (asked of it first: plan.ts's withDevice), and
// without one it gets DEFAULT_KNOBS.

import type { RemoteDevice } from '../engines/browser/remote.ts';
import type { EngineChoice } from '../engines/run.ts';
import { FAMILY_NAMES } from '../gen/families.ts';
import { hostInfo } from '../runtime/host.ts';
import {
  cpuKnobs,
  DEFAULT_KNOBS,
  KNOB_NAMES,
  type Knobs,
  type KnobsOrigin,
} from '../runtime/litmus/knobs.ts';
import { findPreset, loadPresets, type MachineKey, presetsPath } from './presets.ts';

export interface KnobsRequest {
  /** The test's family (familyOf). */
  family: string;
  /** The knobs given on the command line. */
  given: Partial<Knobs>;
  untuned?: boolean;
  /** Where the threads run (undefined: this process). */
  engine?: EngineChoice;
  /** A browser elsewhere (engine.at.remote): the device its pages said they run on. */
  device?: RemoteDevice;
}

/** Every knob of the run, and where each one that was not given came from. */
export function settleKnobs(req: KnobsRequest): { knobs: Knobs; origin: KnobsOrigin } {
  const given = KNOB_NAMES.filter((k) => req.given[k] !== undefined);
  const here = hostInfo();
  const remote = req.engine?.at.remote === true;
  const builtIn = remote ? undefined : cpuKnobs(here.cpuModel);
  const base: Knobs = { ...DEFAULT_KNOBS, ...builtIn?.knobs };
  const file = presetsPath();
  const engine = req.engine?.engine.name ?? here.engine.name;
  // The key lab/presets.ts's machineKey gives the runs that tuned it.
  const machine: MachineKey | undefined = !remote
    ? { cpu: here.cpuModel, cores: here.cores, engine }
    : req.device && { cpu: req.device.userAgent, cores: req.device.cores, engine };
  const preset =
    req.untuned || !machine ? undefined : findPreset(loadPresets(file), machine, req.family);
  const asked = Object.fromEntries(given.map((k) => [k, req.given[k]]));
  const knobs: Knobs = { ...base, ...preset?.knobs, ...asked };
  const origin: KnobsOrigin = preset
    ? { given, preset: { family: preset.family, tunedAt: preset.tunedAt, file } }
    : { given, ...(builtIn && { builtIn: builtIn.kind }) };
  return { knobs, origin };
}

/** The pattern a kernel-style name starts with (2+2W has a '+'); else its first word. */
export function familyOf(name: string): string {
  const lower = name.toLowerCase();
  const pattern = [...FAMILY_NAMES]
    .sort((a, b) => b.length - a.length)
    .find((p) => lower === p.toLowerCase() || lower.startsWith(`${p.toLowerCase()}+`));
  return pattern ?? name.split('+')[0]!;
}
