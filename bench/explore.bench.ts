// `npm run bench -- explore`: the scenario explorer's speed. Per seed scenario, variant and
// model: wall and CPU time, executions accepted and executions per second (of wall), search
// states and states per second, and how far the answer holds (exhaustive, bounded, gave up);
// the wall per scenario and the load before and after; then the agreement run, the explorer fed every
// litmus test of scenarios/litmus, ../shared/lkmm and ../shared/lkmm-luc under sc, tso and
// lkmm (the set test/explore/agreement.test.ts asserts), with its wall time. Goals (issue 15):
// each seed scenario's model instance under 10 s, the agreement run under 60 s.

import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exploreLitmus } from '../src/explore/litmus.ts';
import { exploreVariant } from '../src/explore/scenario.ts';
import { litmusFilesUnder, loadLitmus } from '../src/litmus/load.ts';
import { MODELS } from '../src/model/core/base.ts';
import { loadScenario, scenarioNames } from '../src/runtime/scenario/load.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Each variant's budget here: a variant over it is reported as given up. */
const TIMEOUT_MS = 60_000;

async function scenarios(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const name of scenarioNames()) {
    const s = await loadScenario(name);
    if (s.model?.refuse) {
      console.log(`${name}: not explored (${s.model.refuse})`);
      rows.push({ scenario: name, refused: s.model.refuse });
      continue;
    }
    let wall = 0;
    for (const v of s.variants)
      for (const model of MODELS) {
        const cpu = process.cpuUsage();
        const r = exploreVariant(s, v.name, { model, timeoutMs: TIMEOUT_MS });
        const used = process.cpuUsage(cpu);
        const seconds = r.stats.elapsedMs / 1000;
        wall += seconds;
        const per = (n: number) => Math.round(n / Math.max(seconds, 1e-3));
        const row = {
          scenario: name,
          variant: v.name,
          model,
          seconds,
          cpuSeconds: (used.user + used.system) / 1e6,
          executions: r.stats.executions,
          executionsPerSecond: per(r.stats.executions),
          states: r.stats.states,
          statesPerSecond: per(r.stats.states),
          rounds: r.stats.rounds,
          extent: r.extent.kind,
        };
        rows.push(row);
        console.log(
          [
            name.padEnd(19),
            v.name.padEnd(16),
            model.padEnd(5),
            `${seconds.toFixed(2).padStart(7)} s`,
            `cpu ${row.cpuSeconds.toFixed(2).padStart(6)} s`,
            `${String(row.executions).padStart(6)} executions`,
            `${String(row.executionsPerSecond).padStart(6)}/s`,
            `${String(row.states).padStart(8)} states`,
            `${String(row.statesPerSecond).padStart(6)}/s`,
            `${row.rounds} round${row.rounds === 1 ? '' : 's'}`,
            row.extent,
          ].join(' '),
        );
      }
    console.log(`${name}: ${wall.toFixed(1)} s for every variant under sc, tso and lkmm`);
    rows.push({ scenario: name, totalSeconds: wall });
  }
  return rows;
}

function agreementRun(): Record<string, unknown> {
  const files = [
    ...litmusFilesUnder(join(ROOT, 'scenarios/litmus')),
    ...(existsSync(join(ROOT, '../shared/lkmm'))
      ? litmusFilesUnder(join(ROOT, '../shared/lkmm/litmus-tests'))
      : []),
    ...(existsSync(join(ROOT, '../shared/lkmm-luc'))
      ? litmusFilesUnder(join(ROOT, '../shared/lkmm-luc/litmus-tests'))
      : []),
  ];
  const start = performance.now();
  const cpu = process.cpuUsage();
  let runs = 0;
  let refused = 0;
  for (const f of files) {
    const test = loadLitmus(f);
    for (const model of MODELS) {
      try {
        exploreLitmus(test, model);
        runs++;
      } catch {
        refused++;
      }
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    `agreement run: ${files.length} tests × 3 models, ${runs} explored (${refused} refused: grace periods) in ${seconds.toFixed(1)} s (cpu ${cpuSeconds.toFixed(1)} s; goal: under 60 s)`,
  );
  return { tests: files.length, runs, refused, seconds, cpuSeconds };
}

export default async function explore(): Promise<Record<string, unknown>> {
  const load = () => Number(loadavg()[0]!.toFixed(1));
  const before = load();
  console.log(
    `load average ${before}; each variant's budget ${TIMEOUT_MS / 1000} s (goal: under 10 s)`,
  );
  const out = {
    loadAverage: before,
    timeoutMs: TIMEOUT_MS,
    scenarios: await scenarios(),
    agreement: agreementRun(),
    loadAverageAfter: load(),
  };
  console.log(`load average after ${out.loadAverageAfter}`);
  return out;
}
