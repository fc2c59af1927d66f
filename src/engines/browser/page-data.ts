// What the page gets for each test and what it sends back. The model's verdict is computed here,
// on the server, once: the page grades each state it sees against it without running the model.

import { observedKeys, type Test, testToWire, type WireTest } from '../../litmus/ir.ts';
import { addToHistogram, type Histogram, type Observed } from '../../litmus/state.ts';
import { MEMORY_KIND_NAMES, type MemoryKindName } from '../../memory/kinds.ts';
import type { Verdict } from '../../model/index.ts';
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

/** The page's result: the hw run and the device it ran on. */
export interface PageResult {
  test: string;
  hw: WireRuns;
  device: { userAgent: string; hardwareConcurrency: number; browserVersion?: string };
  /** Engine flags the browser was started with, when the driver knows them (headless). */
  flags?: string[];
}

/** Validation at the door: the body of POST /api/result, or a message saying what is wrong. */
export function parsePageResult(body: unknown): PageResult | string {
  const r = body as Partial<PageResult> | null;
  if (!r || typeof r !== 'object') return 'the body is not a JSON object';
  if (typeof r.test !== 'string') return 'test: a name is required';
  const hw = r.hw as Partial<WireRuns> | undefined;
  if (!hw || typeof hw.histogram !== 'object' || hw.histogram === null)
    return 'hw.histogram is required';
  for (const o of Object.values(hw.histogram) as Partial<Observed>[]) {
    if (!o || !Number.isSafeInteger(o.count) || (o.count as number) < 0)
      return 'hw.histogram: each state needs a whole-number count';
    if (!Array.isArray(o.values) || !o.values.every((v) => Number.isSafeInteger(v)))
      return 'hw.histogram: each state needs its values as whole numbers';
  }
  if (!Number.isSafeInteger(hw.runs)) return 'hw.runs must be a whole number';
  if (!MEMORY_KIND_NAMES.includes(hw.memory as MemoryKindName))
    return `hw.memory must be one of ${MEMORY_KIND_NAMES.join(', ')}`;
  const d = r.device as Partial<PageResult['device']> | undefined;
  if (!d || typeof d.userAgent !== 'string' || !Number.isSafeInteger(d.hardwareConcurrency))
    return 'device.userAgent and device.hardwareConcurrency are required';
  return r as PageResult;
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
