// What the page gets for each test and what it sends back. The model's verdict is computed here,
// on the server, once: the page grades each state it sees against it without running the model.

import { observedKeys, type Test, testToWire, type WireTest } from '../../litmus/ir.ts';
import { addToHistogram, type Histogram, type Observed } from '../../litmus/state.ts';
import { MEMORY_KIND_NAMES, type MemoryKindName } from '../../memory/kinds.ts';
import type { Verdict } from '../../model/index.ts';
import { DEFAULT_KNOBS, knobsFromJson } from '../../runtime/litmus/knobs.ts';
import type { WireRuns } from '../runner-protocol.ts';

export interface PageTest {
  name: string;
  file: string;
  expected: string | null;
  /** The IR: the page compiles the threads itself (the same compiler as Node's). */
  test: WireTest;
  model: {
    name: string;
    observation: string;
    /** Every final state the model allows, with whether it satisfies the condition. */
    states: [state: string, witness: boolean][];
  } | null;
}

export function pageTest(test: Test, verdict: Verdict | undefined): PageTest {
  return {
    name: test.name,
    file: test.file,
    expected: test.expected ?? null,
    test: testToWire(test),
    model: verdict
      ? {
          name: verdict.model,
          observation: verdict.observation,
          states: [...verdict.states].map(([s, e]) => [s, e.witness]),
        }
      : null,
  };
}

/** The page's result: the run (hw's field, whichever backend made it) and the device it ran on. */
export interface PageResult {
  test: string;
  /** The backend that ran it (hw, or an emulated CPU's: weak); absent: hw. */
  backend?: string;
  hw: WireRuns;
  device: { userAgent: string; hardwareConcurrency: number; browserVersion?: string };
  /** Engine flags the browser was started with, when the driver knows them (headless). */
  flags?: string[];
}

/** The longest user agent or browser version taken (real ones are a few hundred characters). */
const MAX_TEXT = 1_000;

const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const text = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;

/**
 * Validation at the door: the body of POST /api/result, or a message saying what is wrong.
 * (The record made from it is checked against the schema too, before it is saved.)
 */
export function parsePageResult(body: unknown): PageResult | string {
  const r = body as Partial<PageResult> | null;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return 'the body is not a JSON object';
  if (!text(r.test)) return 'test: a name is required';
  if (
    r.backend !== undefined &&
    !(typeof r.backend === 'string' && /^[a-z0-9-]{1,20}$/.test(r.backend))
  )
    return "backend must be a backend's name";
  const hw = r.hw as Partial<WireRuns> | undefined;
  if (!hw || typeof hw.histogram !== 'object' || hw.histogram === null)
    return 'hw.histogram is required';
  if (!count(hw.runs)) return 'hw.runs must be a whole number, 0 or more';
  let seen = 0;
  for (const o of Object.values(hw.histogram) as Partial<Observed>[]) {
    if (!o || !count(o.count)) return 'hw.histogram: each state needs a whole-number count';
    if (!Array.isArray(o.values) || !o.values.every((v) => Number.isSafeInteger(v)))
      return 'hw.histogram: each state needs its values as whole numbers';
    seen += o.count;
  }
  if (seen > hw.runs) return `hw.histogram counts ${seen} runs, more than hw.runs (${hw.runs})`;
  if (hw.elapsedMs !== undefined && !(typeof hw.elapsedMs === 'number' && hw.elapsedMs >= 0))
    return 'hw.elapsedMs must be a number of milliseconds';
  if (!MEMORY_KIND_NAMES.includes(hw.memory as MemoryKindName))
    return `hw.memory must be one of ${MEMORY_KIND_NAMES.join(', ')}`;
  const d = r.device as Partial<PageResult['device']> | undefined;
  if (!d || !text(d.userAgent) || !Number.isSafeInteger(d.hardwareConcurrency))
    return 'device.userAgent and device.hardwareConcurrency are required';
  if ((d.hardwareConcurrency as number) < 1) return 'device.hardwareConcurrency must be 1 or more';
  if (d.browserVersion !== undefined && !text(d.browserVersion))
    return 'device.browserVersion must be a string';
  if (r.flags !== undefined && !(Array.isArray(r.flags) && r.flags.every(text)))
    return 'flags must be a list of strings';
  const fields = knownFields(hw as Record<string, unknown>);
  if (typeof fields === 'string') return fields;
  return {
    test: r.test,
    ...(r.backend !== undefined && { backend: r.backend }),
    hw: fields,
    device: {
      userAgent: d.userAgent,
      hardwareConcurrency: d.hardwareConcurrency as number,
      ...(d.browserVersion !== undefined && { browserVersion: d.browserVersion }),
    },
    ...(r.flags && { flags: r.flags }),
  };
}

/** What a run's fields may hold: whole numbers 0 or more, booleans, short words. */
const RUN_FIELDS: Record<string, (v: unknown) => boolean> = {
  wallMs: (v) => typeof v === 'number' && v >= 0,
  threads: count,
  workers: count,
  lostMeetings: count,
  size: count,
  seed: (v) => Number.isSafeInteger(v),
  partial: (v) => typeof v === 'boolean',
  packed: (v) => typeof v === 'boolean',
  knobs: (v) => {
    try {
      knobsFromJson(v, 'hw.knobs');
      return true;
    } catch {
      return false;
    }
  },
  stoppedBy: (v) => typeof v === 'string' && /^[a-z-]{1,20}$/.test(v),
  barrier: (v) => typeof v === 'string' && /^[a-z-]{1,20}$/.test(v),
  fault: isFault,
};

/** A run's fault as the page sends it (runtime/litmus/run.ts's RunFault): every field typed. */
function isFault(v: unknown): boolean {
  const f = v as Record<string, unknown> | null;
  if (!f || typeof f !== 'object') return false;
  const pos = f.pos as Record<string, unknown> | undefined;
  return (
    typeof f.kind === 'string' &&
    /^[a-z-]{1,20}$/.test(f.kind) &&
    count(f.thread) &&
    text(f.message) &&
    (f.file === undefined || text(f.file)) &&
    (pos === undefined || (count(pos?.line) && count(pos?.col)))
  );
}

/** The posted run with the fields a run has, each checked; anything else the page sent is dropped. */
function knownFields(hw: Record<string, unknown>): WireRuns | string {
  const out: Record<string, unknown> = {
    histogram: hw.histogram,
    runs: hw.runs,
    memory: hw.memory,
    ...(hw.elapsedMs !== undefined && { elapsedMs: hw.elapsedMs }),
  };
  for (const [name, ok] of Object.entries(RUN_FIELDS)) {
    if (hw[name] === undefined) continue;
    if (!ok(hw[name])) return `hw.${name}: not a value a run has`;
    out[name] = hw[name];
  }
  // The knobs as this lab reads them (each checked as its flag is), the page's defaults filled.
  if (hw.knobs !== undefined)
    out.knobs = { ...DEFAULT_KNOBS, ...knobsFromJson(hw.knobs, 'hw.knobs') };
  return out as unknown as WireRuns;
}

/**
 * The posted histogram rebuilt from its values: a state's key is ours to print (formatState),
 * never taken from the page, and values of the wrong width are refused.
 */
export function histogramFromPage(
  test: Test,
  posted: Record<string, Observed>,
): Histogram | string {
  const keys = observedKeys(test);
  const h: Histogram = new Map();
  for (const o of Object.values(posted)) {
    if (o.values.length !== keys.length)
      return `hw.histogram: a state of ${o.values.length} values, the test has ${keys.length}`;
    addToHistogram(test, h, o.values, o.count, keys);
  }
  return h;
}
