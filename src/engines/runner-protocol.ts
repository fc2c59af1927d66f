// What the driver (the Node CLI) and a child engine's runner (runner.ts) say to each other:
// one request as the last argument, one reply as a JSON line on stdout. Histograms cross as
// objects (state → count) and become Maps again on the driver's side.

import type { SourcePos } from '../errors.ts';
import type { HostInfo } from '../runtime/host.ts';
import type { HwResult } from '../runtime/litmus-run.ts';

export interface RunnerRequest {
  /** The litmus file to load, absolute. */
  path: string;
  /** How reports name it (relative to the repository). */
  file: string;
  runs: number;
  size?: number;
  time?: number;
  /** The engine flags the child was started with, for the record. */
  flags: string[];
}

/** A HwResult as JSON: the histogram an object. */
export type WireHwResult = Omit<HwResult, 'histogram'> & { histogram: Record<string, number> };

export type RunnerReply =
  | { ok: { hw: HwResult | WireHwResult; host: HostInfo } }
  | { error: string; userError?: { file?: string; pos?: SourcePos } };

/** The histogram back as a Map (the wire carries an object). */
export function hwFromWire(hw: WireHwResult): HwResult {
  return { ...hw, histogram: new Map(Object.entries(hw.histogram)) };
}

/** What a run on an engine gives the driver: the hw result and who produced it. */
export interface EngineRun {
  hw: HwResult;
  host: HostInfo;
}
