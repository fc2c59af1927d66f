// Tuned presets: the knobs `smplab run --tune` found best, per machine (CPU model, core count,
// engine) and test family (SB, MP, LB…), kept for later runs on the same machine to use by
// default (and to say so).
//
// They live in the user's config folder, not in a results folder: a preset describes this
// machine, so every checkout and every installed copy of smplab on it should find it, and a
// results folder is data copied between machines and merged (smplab merge), where a setting of
// another machine has no business. $SMPLAB_CONFIG_DIR moves the folder (the tests use a
// temporary one); otherwise $XDG_CONFIG_HOME/smplab, ~/.config/smplab, or %APPDATA%\smplab.
// The file is written whole or not at all (a temporary file, then a rename).

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.ts';
import type { HostInfo } from '../runtime/host.ts';
import { KNOB_NAMES, type Knobs, knobsFromJson } from '../runtime/litmus/knobs.ts';

export const PRESETS_SCHEMA_VERSION = 1;

/** What a preset is for: the machine as its runs recorded it, and the engine that ran them. */
export interface MachineKey {
  /** The CPU model; for a browser on another device, its user agent (the page cannot know its CPU). */
  cpu: string;
  cores: number;
  /** The engine's name: node, bun, deno, chromium, firefox. */
  engine: string;
}

/** How the best knobs did when they were found. */
export interface PresetScore {
  runs: number;
  witnesses: number;
  seconds: number;
}

export interface Preset {
  machine: MachineKey;
  /** The test family the knobs were tuned for (its pattern: SB, MP, 2+2W…). */
  family: string;
  knobs: Knobs;
  /** The tests tuned on (for a Never test, the relaxation that was measured). */
  tests: string[];
  tunedAt: string;
  score: PresetScore;
}

interface PresetFile {
  schemaVersion: number;
  presets: Preset[];
}

/** The presets file of this user. */
export function presetsPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir =
    env.SMPLAB_CONFIG_DIR ??
    (process.platform === 'win32' && env.APPDATA
      ? join(env.APPDATA, 'smplab')
      : join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'smplab'));
  return join(dir, 'presets.json');
}

/** The machine key of a run's host. */
export function machineKey(host: HostInfo): MachineKey {
  return {
    cpu: host.device && host.arch.startsWith('unknown') ? host.device.userAgent : host.cpuModel,
    cores: host.cores,
    engine: host.engine.name,
  };
}

const sameMachine = (a: MachineKey, b: MachineKey) =>
  a.cpu === b.cpu && a.cores === b.cores && a.engine === b.engine;

/** Every preset in `path`; none when the file does not exist; a UserError naming it when it is not ours. */
export function loadPresets(path = presetsPath()): Preset[] {
  if (!existsSync(path)) return [];
  let file: PresetFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as PresetFile;
  } catch (e) {
    throw new UserError(`not a presets file (${(e as Error).message}): delete it or fix it`, path);
  }
  if (file?.schemaVersion !== PRESETS_SCHEMA_VERSION || !Array.isArray(file.presets))
    throw new UserError(
      `not a presets file of this smplab (schemaVersion ${PRESETS_SCHEMA_VERSION} expected): delete it or fix it`,
      path,
    );
  try {
    return file.presets.map((p, i) => checkPreset(p, `preset ${i + 1}`));
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${e.message}: delete it or fix it`, path);
    throw e;
  }
}

/** The preset for `family` on `machine`, if one was tuned. */
export function findPreset(
  presets: readonly Preset[],
  machine: MachineKey,
  family: string,
): Preset | undefined {
  return presets.find((p) => p.family === family && sameMachine(p.machine, machine));
}

/** Save `preset` in `path`, replacing the one of the same machine and family. */
export function savePreset(preset: Preset, path = presetsPath()): void {
  const others = loadPresets(path).filter(
    (p) => !(p.family === preset.family && sameMachine(p.machine, preset.machine)),
  );
  const file: PresetFile = { schemaVersion: PRESETS_SCHEMA_VERSION, presets: [...others, preset] };
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`cannot save the preset: ${(e as Error).message}`, path);
  }
}

/** A preset read back: its knobs checked as flags are; a UserError saying which one is wrong. */
function checkPreset(raw: Preset, where: string): Preset {
  const m = raw?.machine;
  if (
    !m ||
    typeof m.cpu !== 'string' ||
    !Number.isSafeInteger(m.cores) ||
    typeof m.engine !== 'string'
  )
    throw new UserError(`${where}: machine must have cpu, cores and engine`);
  if (typeof raw.family !== 'string') throw new UserError(`${where}: family must be a name`);
  const knobs = knobsFromJson(raw.knobs, where);
  // Every knob but the batch size, whose absence means "by threads and CPUs".
  const missing = KNOB_NAMES.filter((k) => k !== 'size' && knobs[k] === undefined);
  if (missing.length) throw new UserError(`${where}: knobs lack ${missing.join(', ')}`);
  return { ...raw, knobs: knobs as Knobs };
}
