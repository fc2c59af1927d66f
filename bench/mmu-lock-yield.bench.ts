// mmu-lock-yield as a benchmark: what yielding mmu_lock buys the vCPUs and costs the zap.
// Each trial is one run of the scenario with its two terminating variants back to back
// (no-yield, then yield), so both see the same host; the ratios are taken inside a trial:
//   fault p99 ratio = fault latency p99 without yielding / with yielding (higher: yielding helps)
//   fault p50 ratio = the same at the median (steadier on a loaded host: see below)
//   zap time cost   = zap time p50 with yielding / without (higher: yielding slows the zap)
// Fault latency is the scenario's coordinated-omission-corrected figure (the time a fault
// issued at a random moment waits). The load average is recorded: other processes on the
// same two CPUs stretch every figure, and the lock-holder preemptions they cause land in the
// tails of both variants.

import os from 'node:os';
import { loadScenario } from '../src/runtime/scenario/load.ts';
import type { LatencySummary, VariantResult } from '../src/runtime/scenario/result.ts';
import { runScenario } from '../src/runtime/scenario/run.ts';
import { median } from './stats.ts';

const TRIALS = 5;
/** Seconds per variant in each trial. */
const SECONDS = 2;

const ms = (ns: number) => `${(ns / 1e6).toFixed(3)} ms`;

function latency(v: VariantResult, name: string): LatencySummary {
  const l = v.latencies.find((x) => x.name === name);
  if (!l) throw new Error(`mmu-lock-yield: no latency metric "${name}" in ${v.variant}`);
  return l;
}

function counter(v: VariantResult, name: string): number {
  return v.counters.find((c) => c.name === name)?.value ?? 0;
}

interface Side {
  faultP50Ns: number;
  faultP99Ns: number;
  faultMaxNs: number;
  faultsPerSecond: number;
  zapP50Ns: number;
  zapsCompleted: number;
  yields: number;
}

function side(v: VariantResult): Side {
  const fault = latency(v, 'fault latency');
  const zap = latency(v, 'zap time');
  return {
    faultP50Ns: fault.p50Ns,
    faultP99Ns: fault.p99Ns,
    faultMaxNs: fault.maxNs,
    faultsPerSecond: counter(v, 'faults') / v.elapsedSeconds,
    zapP50Ns: zap.p50Ns,
    zapsCompleted: zap.count,
    yields: counter(v, 'yields'),
  };
}

interface Trial {
  noYield: Side;
  yield: Side;
  faultP99Ratio: number;
  faultP50Ratio: number;
  zapTimeCost: number;
  loadAverage: number;
}

async function trial(): Promise<Trial> {
  const s = await loadScenario('mmu-lock-yield');
  const loadAverage = os.loadavg()[0]!;
  const r = await runScenario(s, { variants: ['no-yield', 'yield'], timeSeconds: SECONDS });
  if (r.failures.length > 0)
    throw new Error(`mmu-lock-yield: ${r.failures.map((f) => f.message).join('; ')}`);
  const [a, b] = r.variants.map(side) as [Side, Side];
  return {
    noYield: a,
    yield: b,
    faultP99Ratio: a.faultP99Ns / b.faultP99Ns,
    faultP50Ratio: a.faultP50Ns / b.faultP50Ns,
    zapTimeCost: b.zapP50Ns / a.zapP50Ns,
    loadAverage,
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const trials: Trial[] = [];
  for (let k = 0; k < TRIALS; k++) {
    const t = await trial();
    trials.push(t);
    console.log(
      `trial ${k + 1}: fault p99 ${ms(t.noYield.faultP99Ns)} (no-yield) vs ${ms(t.yield.faultP99Ns)} (yield)` +
        ` = ${t.faultP99Ratio.toFixed(1)}x; zap p50 ${ms(t.noYield.zapP50Ns)} vs ${ms(t.yield.zapP50Ns)}` +
        ` = ${t.zapTimeCost.toFixed(1)}x; load ${t.loadAverage.toFixed(1)}`,
    );
  }
  const faultP99Ratio = median(trials.map((t) => t.faultP99Ratio));
  const faultP50Ratio = median(trials.map((t) => t.faultP50Ratio));
  const zapTimeCost = median(trials.map((t) => t.zapTimeCost));
  const range = (f: (t: Trial) => number) =>
    `${Math.min(...trials.map(f)).toFixed(1)}-${Math.max(...trials.map(f)).toFixed(1)}x`;
  console.log(
    `mmu-lock-yield (median of ${TRIALS}): fault latency without/with yielding p99 ${faultP99Ratio.toFixed(1)}x` +
      ` (${range((t) => t.faultP99Ratio)}), p50 ${faultP50Ratio.toFixed(0)}x (${range((t) => t.faultP50Ratio)});` +
      ` zap time with/without yielding ${zapTimeCost.toFixed(1)}x (${range((t) => t.zapTimeCost)})`,
  );
  return {
    faultP99Ratio,
    faultP50Ratio,
    zapTimeCost,
    trials,
    options: { trials: TRIALS, secondsPerVariant: SECONDS, variants: ['no-yield', 'yield'] },
  };
}
