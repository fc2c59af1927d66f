// What the page gets for each test and what it sends back. The model's verdict is computed here,
// on the server, once: the page grades each state it sees against it without running the model.

import type { WireHwResult } from '../engines/runner-protocol.ts';
import type { Test } from '../litmus/ir.ts';
import type { Verdict } from '../model/index.ts';

export interface PageTest {
  name: string;
  file: string;
  expected: string | null;
  /** The IR: the page compiles the threads itself (the same compiler as Node's). */
  test: Test;
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
    test,
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
  hw: WireHwResult;
  device: { userAgent: string; hardwareConcurrency: number; browserVersion?: string };
  /** Engine flags the browser was started with, when the driver knows them (headless). */
  flags?: string[];
}

/** Validation at the door: the body of POST /api/result, or a message saying what is wrong. */
export function parsePageResult(body: unknown): PageResult | string {
  const r = body as Partial<PageResult> | null;
  if (!r || typeof r !== 'object') return 'the body is not a JSON object';
  if (typeof r.test !== 'string') return 'test: a name is required';
  const hw = r.hw as Partial<WireHwResult> | undefined;
  if (!hw || typeof hw.histogram !== 'object' || hw.histogram === null)
    return 'hw.histogram is required';
  for (const v of Object.values(hw.histogram))
    if (!Number.isSafeInteger(v) || (v as number) < 0)
      return 'hw.histogram counts must be whole numbers';
  if (!Number.isSafeInteger(hw.runs)) return 'hw.runs must be a whole number';
  const d = r.device as Partial<PageResult['device']> | undefined;
  if (!d || typeof d.userAgent !== 'string' || !Number.isSafeInteger(d.hardwareConcurrency))
    return 'device.userAgent and device.hardwareConcurrency are required';
  return r as PageResult;
}
