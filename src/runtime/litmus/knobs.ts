// The knobs of a litmus run on threads (hw and weak): what decides how often this machine shows
// a relaxed outcome, apart from the test itself. One table, KNOBS: each knob's values, its
// command-line flag and help, how the tuner varies it (lab/tune.ts) and how it prints. The
// flags (cli/flags.ts), the JSON record, the page's query, the child engines' requests, the
// tuner's search and the saved presets (lab/presets.ts) all loop over it; docs/tune.md says
// what each knob does on which CPU, with figures.
//
// This module is data and checks; the knobs act in memory/layout.ts (pad, stride, order),
// instance-sync.ts (start), placement.ts (placement), stress.ts (stress) and the batch loop (size).

import { UserError } from '../../errors.ts';
import { LINE_CELLS, LOCATION_ORDERS, type LocationOrder } from '../../memory/layout.ts';
import { type Delay, START_SYNCS, type StartSync } from './instance-sync.ts';

export const PLACEMENTS = ['os', 'pinned'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** The most stress workers a run may ask for (each is a thread spinning on memory). */
export const MAX_STRESS = 64;
/** The longest delay, in spins (some microseconds): beyond, the threads no longer race. */
export const MAX_DELAY = 10_000;
/** The most instances from one meeting to the next: beyond, the threads no longer keep in step. */
export const MAX_MEET = 1_024;
/** The largest pad or stride, in cells (64 KiB): beyond, only the buffer grows. */
export const MAX_SPACING = 16_384;

export interface Knobs {
  /** How the threads start each instance together (instance-sync.ts). */
  start: StartSync;
  /** fence, flag: the instance leader's wait after raising its flag, in spins, or sweep. */
  delay: Delay;
  /** fence, flag, timebase: the threads meet at every `meet`th instance and run the others freely. */
  meet: number;
  /** Cells from one location to the next (memory/layout.ts's LayoutKnobs). */
  pad: number;
  /** Cells from one instance to the next; 0: blocks of an instance's locations. */
  stride: number;
  order: LocationOrder;
  /** Instances per batch; undefined: by threads and CPUs (runtime/litmus/run.ts). */
  size?: number;
  /** Where the workers run: where the OS puts them, or each pinned to a CPU of its own. */
  placement: Placement;
  /** Extra workers hammering other lines of memory while the test runs (stress.ts). */
  stress: number;
}

export type KnobName = keyof Knobs;

/** The knobs of a run that says nothing (before this machine's preset, lab/presets.ts). */
export const DEFAULT_KNOBS: Readonly<Knobs> = {
  start: 'fence',
  delay: 0,
  meet: 8,
  pad: LINE_CELLS,
  stride: 0,
  order: 'declared',
  placement: 'os',
  stress: 0,
};

/**
 * The built-in knobs of a kind of CPU, chosen from measurements of SB's witnesses on each
 * (docs/tune.md has the figures); a CPU of no kind listed gets DEFAULT_KNOBS. A tuned preset
 * (smplab run --tune) overrides them on its machine.
 */
export const CPU_KNOBS: readonly { kind: string; model: RegExp; knobs: Partial<Knobs> }[] = [
  // 2-vCPU AMD EPYC VM (issue 19): 42% of SB's runs witnessed with the leader going on at once
  // (meeting at every instance: meet 8 was not measured there).
  { kind: 'AMD EPYC', model: /AMD EPYC/i, knobs: {} },
  // 2-vCPU Intel Xeon VM (2026-12-06, high-priority trials): SB's runs 29-36% witnessed with a
  // swept delay at meet 8, below 1% at delay 0; the leader's wait brings the late follower along.
  { kind: 'Intel Xeon', model: /Intel.*Xeon/i, knobs: { delay: 'sweep' } },
];

/** The built-in knobs for a CPU of this model, and its kind; undefined when no kind matches. */
export function cpuKnobs(model: string): { kind: string; knobs: Partial<Knobs> } | undefined {
  return CPU_KNOBS.find((c) => c.model.test(model));
}

/** Where a run's knobs came from (lab/knobs.ts settles them), for its line and its record. */
export interface KnobsOrigin {
  /** Those given on the command line. */
  given: KnobName[];
  /** The tuned preset the others came from. */
  preset?: { family: string; tunedAt: string; file: string };
  /** Else: the kind of CPU whose built-in knobs they are (undefined: DEFAULT_KNOBS). */
  builtIn?: string;
}

export interface KnobSpec<V> {
  /** Its flag's value in help (`--start MODE`). */
  value: string;
  help: string;
  parse(raw: string, flag: string): V;
  /** How a value reads in the run's line and the tuner's table. */
  show(v: V): string;
  /** The values the tuner tries, in the order it tries them. */
  candidates: readonly V[];
}

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (raw: string, flag: string): T => {
    if ((values as readonly string[]).includes(raw)) return raw as T;
    throw new UserError(`${flag} takes one of ${values.join(', ')}, not '${raw}'`);
  };

const whole =
  (least: number, most: number) =>
  (raw: string, flag: string): number => {
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < least || n > most)
      throw new UserError(
        `${flag} takes a whole number from ${least} to ${most.toLocaleString('en-US')}, not '${raw}'`,
      );
    return n;
  };

const count = (n: number) => n.toLocaleString('en-US');

export const KNOBS: { [K in KnobName]-?: KnobSpec<Knobs[K]> } = {
  start: {
    value: 'MODE',
    help: [
      'how the threads start each instance together (litmus7 -barrier):',
      'fence (the instance leader raises a flag, fenced: userfence), flag (unfenced: user),',
      'timebase (a shared clock), none (only the batch barrier)',
    ].join('\n'),
    parse: oneOf(START_SYNCS),
    show: (v) => v,
    candidates: START_SYNCS,
  },
  delay: {
    value: 'SPINS',
    help: [
      "fence, flag: the instance leader's wait after raising its flag, so that the",
      'others, a cache-line transfer behind, start with it: spins (~1 ns each), or',
      'sweep (each meeting another wait, 0 to 120)',
    ].join('\n'),
    parse: (raw, flag) => (raw === 'sweep' ? 'sweep' : whole(0, MAX_DELAY)(raw, flag)),
    show: (v) => String(v),
    candidates: [0, 'sweep', 16, 32, 48, 64, 96, 128],
  },
  meet: {
    value: 'N',
    help: [
      'fence, flag, timebase: the threads meet at every Nth instance and run the',
      'N - 1 between freely, still in step (default 8; 1: every instance, as litmus7)',
    ].join('\n'),
    parse: whole(1, MAX_MEET),
    show: (v) => String(v),
    candidates: [8, 1, 2, 4, 16, 32],
  },
  pad: {
    value: 'CELLS',
    help: `4-byte cells from one location to the next of an instance, or between\nlocation arrays (default ${LINE_CELLS}: a 64-byte line each)`,
    parse: whole(1, MAX_SPACING),
    show: (v) => String(v),
    candidates: [LINE_CELLS, 1, 2, 32],
  },
  stride: {
    value: 'CELLS',
    help: 'cells from one instance to the next (default 0: locations × pad); smaller\nthan an instance: one array per location, as litmus7 allocates (--stride 1)',
    parse: whole(0, MAX_SPACING),
    show: (v) => (v === 0 ? 'blocks' : String(v)),
    candidates: [0, 1, LINE_CELLS],
  },
  order: {
    value: 'ORDER',
    help: `the order of an instance's locations in memory: ${LOCATION_ORDERS.join(', ')}`,
    parse: oneOf(LOCATION_ORDERS),
    show: (v) => v,
    candidates: LOCATION_ORDERS,
  },
  size: {
    value: 'N',
    help: 'litmus: instances per batch (default 100,000, or 10,000 when threads\noutnumber CPUs)',
    parse: whole(1, Number.MAX_SAFE_INTEGER),
    show: (v) => (v === undefined ? 'auto' : count(v)),
    candidates: [undefined, 1_000, 10_000, 1_000_000],
  },
  placement: {
    value: 'P',
    help: 'where the workers run: os (where the system puts them), pinned (each on a\nCPU of its own, Linux and Node only; litmus7 -affinity incr1)',
    parse: oneOf(PLACEMENTS),
    show: (v) => v,
    candidates: PLACEMENTS,
  },
  stress: {
    value: 'N',
    help: "N extra workers hammering other lines of memory while the test runs\n(default 0; GPU litmus testing's memory stress)",
    parse: whole(0, MAX_STRESS),
    show: (v) => String(v),
    candidates: [0, 1, 2],
  },
};

export const KNOB_NAMES = Object.keys(KNOBS) as KnobName[];

/** `start fence, pad 16, stride blocks, …`: every knob, for the run's line and the record's reader. */
export function describeKnobs(k: Knobs): string {
  return KNOB_NAMES.map((n) => `${n} ${(KNOBS[n].show as (v: unknown) => string)(k[n])}`).join(
    ', ',
  );
}

/** What differs from `base`, in the same words (empty when nothing does). */
export function knobsChanged(k: Knobs, base: Knobs = DEFAULT_KNOBS): string {
  return KNOB_NAMES.filter((n) => k[n] !== base[n])
    .map((n) => `${n} ${(KNOBS[n].show as (v: unknown) => string)(k[n])}`)
    .join(', ');
}

/**
 * Knobs read back from JSON (a preset, a page's query, a child engine's request): each field
 * checked as its flag would be; unknown fields refused. `where` names the source in messages.
 */
export function knobsFromJson(raw: unknown, where: string): Partial<Knobs> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserError(`${where}: the knobs must be an object`);
  const out: Partial<Record<KnobName, unknown>> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (!(KNOB_NAMES as string[]).includes(name))
      throw new UserError(`${where}: unknown knob '${name}'; one of ${KNOB_NAMES.join(', ')}`);
    if (value === undefined || value === null) continue;
    out[name as KnobName] = KNOBS[name as KnobName].parse(String(value), `${where}: ${name}`);
  }
  return out as Partial<Knobs>;
}
