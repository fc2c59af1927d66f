// `npm run verdicts`: every seed scenario's model verdicts under sc, tso and lkmm, run, not
// typed: each scenario explored as `smplab run NAME --on model --model M` explores it (one worker
// per variant, VARIANT_BUDGET_S each), the figures written to docs/scenario-verdicts.json (with
// the host, the load and each scenario file's hash) and the "on model" column of the README's
// scenario table rewritten from them. test/explore/readme-verdicts.test.ts checks that the table
// says what the file says and that the file is of the scenarios as they are now (their hashes).
//
// Not a benchmark (npm run bench does not run it): it writes the README.

import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LOOP_BOUND } from '../src/explore/loop-bound.ts';
import { runExplorer } from '../src/explore/run.ts';
import type { Extent } from '../src/explore/scenario.ts';
import type { ModelOutcome } from '../src/explore/scenario-result.ts';
import { MODELS, type ModelName } from '../src/model/core/base.ts';
import { aside, reachableMarks, stopsText } from '../src/report/scenario-model-text.ts';
import { hostInfo } from '../src/runtime/host.ts';
import { loadScenario, scenarioNames } from '../src/runtime/scenario/load.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const VERDICTS_FILE = `${ROOT}docs/scenario-verdicts.json`;
const README = `${ROOT}README.md`;
/**
 * Each variant's budget: a variant not answered by then is reported as given up, with how far it
 * got. VERDICTS_BUDGET_S sets another (the scenario's entry then says so): mmu-lock-yield's
 * search outgrows its worker's heap (4 GB) before 120 s.
 */
const DEFAULT_BUDGET_S = 120;
const VARIANT_BUDGET_S = Number(process.env.VERDICTS_BUDGET_S ?? DEFAULT_BUDGET_S);

/** One variant under one model, as the file keeps it. */
export interface ModelVerdicts {
  extent: Extent;
  executions: number;
  seconds: number;
  outcomes: Pick<ModelOutcome, 'outcome' | 'grade' | 'verdict' | 'raceFree' | 'ordered'>[];
  /** The thread of a possible livelock (a loop cut at the bound going round the same pass). */
  livelock?: string;
  /** The threads of a deadlock (every CPU that has not finished waits for good). */
  deadlock?: string[];
  /** Why this variant was not explored under this model (its worker ran out of memory). */
  refused?: string;
}

export interface ScenarioVerdicts {
  scenario: string;
  hash: string;
  /** Each variant's budget when it was not the file's variantBudgetSeconds. */
  budgetSeconds?: number;
  refused?: string;
  variants: { variant: string; models: Partial<Record<ModelName, ModelVerdicts>> }[];
}

export interface VerdictsFile {
  generated: string;
  command: string;
  host: string;
  loadAverage: number;
  variantBudgetSeconds: number;
  loopBound: number;
  scenarios: ScenarioVerdicts[];
}

async function explore(name: string): Promise<ScenarioVerdicts> {
  const s = await loadScenario(name);
  const out: ScenarioVerdicts = {
    scenario: name,
    hash: '',
    ...(VARIANT_BUDGET_S !== DEFAULT_BUDGET_S && { budgetSeconds: VARIANT_BUDGET_S }),
    variants: s.variants.map((v) => ({ variant: v.name, models: {} })),
  };
  for (const model of MODELS) {
    const r = await runExplorer(s, { model, timeoutMs: VARIANT_BUDGET_S * 1000 });
    out.hash = r.hash;
    if (r.variants[0]?.refused !== undefined) return { ...out, refused: r.variants[0].refused };
    for (const v of r.variants) {
      out.variants.find((x) => x.variant === v.variant)!.models[model] = {
        extent: v.extent,
        executions: v.executions,
        seconds: Number(v.elapsedSeconds.toFixed(2)),
        outcomes: v.outcomes.map(({ outcome, grade, verdict, raceFree, ordered }) => ({
          outcome,
          grade,
          verdict,
          raceFree,
          ordered,
        })),
        ...(v.livelock && { livelock: v.livelock.thread }),
        ...(v.deadlock && { deadlock: v.deadlock.threads.map((t) => t.thread) }),
        ...(v.refused !== undefined && { refused: v.refused }),
      };
      const said = v.refused ?? `${v.extent.kind}, ${v.elapsedSeconds.toFixed(1)} s`;
      console.log(`${name} ${v.variant} ${model}: ${said}`);
    }
  }
  return out;
}

/**
 * The README's cell for one scenario: per model, the outcomes other than acceptable each variant
 * reaches (with the marks the table gives them), `none` where it reaches none, and how far that
 * holds; variants that say the same are named together.
 */
export function readmeCell(s: ScenarioVerdicts): string {
  if (s.refused !== undefined) return `not explored: ${s.refused}`;
  return MODELS.map((model) => {
    const said = new Map<string, string[]>();
    for (const v of s.variants) {
      const m = v.models[model];
      const text = m ? variantText(m) : 'not run';
      said.set(text, [...(said.get(text) ?? []), v.variant]);
    }
    const parts =
      said.size === 1
        ? [`every variant: ${[...said.keys()][0]}`]
        : [...said].map(([text, variants]) => `${variants.join(', ')}: ${text}`);
    return `**${model}** ${parts.join('; ')}`;
  }).join('<br>');
}

function variantText(m: ModelVerdicts): string {
  if (m.refused !== undefined) return `not explored: ${m.refused}`;
  const reached = m.outcomes
    .filter((o) => o.verdict === 'reachable' && o.grade !== 'acceptable')
    .map((o) => {
      const marks = reachableMarks(o);
      return `${o.outcome}${marks.length > 0 ? ` (${marks.join(', ')})` : ''}`;
    });
  if (m.livelock) reached.unshift(`possible livelock (${m.livelock} repeats its pass)`);
  if (m.deadlock) reached.unshift(`deadlock (${m.deadlock.join(', ')} wait for good)`);
  const e = m.extent;
  const holds = holdsText(e, m.seconds);
  if (reached.length === 0) return `none (${holds})`;
  return e.kind === 'exhaustive' && !aside(e)
    ? reached.join(', ')
    : `${reached.join(', ')} (${holds})`;
}

/** How far a variant's answer holds, in the README's words. */
function holdsText(e: Extent, seconds: number): string {
  switch (e.kind) {
    case 'exhaustive':
      return `exhaustive${aside(e)}`;
    case 'bounded': {
      const bounds = [
        ...(e.cut > 0 || (e.guesses ?? e.rounds ?? e.events ?? e.stops) === undefined
          ? [`loop bound ${e.loopBound}`]
          : []),
        ...(e.events ? [`${e.events.limit} events per thread`] : []),
        ...(e.guesses !== undefined
          ? [`${e.guesses} guessed read${e.guesses === 1 ? '' : 's'}`]
          : []),
        ...(e.rounds !== undefined ? [`${e.rounds} rounds of guesses`] : []),
        ...(e.stops ? [stopsText(e.stops)] : []),
      ];
      return `within ${bounds.join(' and ')}${aside(e)}`;
    }
    case 'refused':
      return 'not explored';
    default:
      return `gave up after ${Math.round(seconds)} s, about ${e.percent}%`;
  }
}

/** The README with each scenario row's last cell made from the file. */
export function withCells(readme: string, file: VerdictsFile): string {
  return readme.replace(
    /(<!-- scenarios[^\n]*\n)([\s\S]*?)(<!-- end scenarios -->)/,
    (_all, open: string, table: string, close: string) => {
      const rows = table.split('\n').map((line) => {
        const name = /^\| `([^`]+)` \|/.exec(line)?.[1];
        const s = name && file.scenarios.find((x) => x.scenario === name);
        if (!s) return line;
        const cells = line.split(' | ');
        cells[cells.length - 1] = `${readmeCell(s)} |`;
        return cells.join(' | ');
      });
      return `${open}${rows.join('\n')}${close}`;
    },
  );
}

/**
 * `npm run verdicts` explores every scenario; `npm run verdicts -- NAME...` only those named (a
 * new or changed scenario), keeping the file's entries of the others as they were.
 */
async function main(only: string[]): Promise<void> {
  const load = loadavg()[0]!;
  const kept: VerdictsFile | undefined = only.length
    ? JSON.parse(readFileSync(VERDICTS_FILE, 'utf8'))
    : undefined;
  const scenarios: ScenarioVerdicts[] = [];
  for (const name of scenarioNames()) {
    const old = kept?.scenarios.find((s) => s.scenario === name);
    scenarios.push(old && !only.includes(name) ? old : await explore(name));
  }
  const host = hostInfo();
  // a partial run keeps the file's header: it says when and how the others were explored
  const file: VerdictsFile = kept
    ? { ...kept, scenarios }
    : {
        generated: new Date().toISOString(),
        command: 'npm run verdicts',
        host: `${host.cpuModel} (${host.arch}), ${host.cores} CPUs, node ${process.versions.node}`,
        loadAverage: Number(load.toFixed(1)),
        variantBudgetSeconds: VARIANT_BUDGET_S,
        loopBound: DEFAULT_LOOP_BOUND,
        scenarios,
      };
  writeFileSync(VERDICTS_FILE, `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(README, withCells(readFileSync(README, 'utf8'), file));
  console.log(`written ${VERDICTS_FILE} and the README's scenario table`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  await main(process.argv.slice(2));
