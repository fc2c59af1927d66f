// The page of one litmus test in the HTML report: which file and hash it is, every run of it as
// one table (a row per run and backend: host, engine, witnesses, Observation, states outside
// the model), its source, the model's verdict and states, the witness execution or the
// forbidding cycle drawn as a graph with the cycle's steps, then each run's histograms and its
// ablation table. Every list is bounded (a record may hold 200,000 states), and the model that
// draws the graph has a small budget, so one page never holds the report up for long.

import { sortedKeys } from '../../litmus/state.ts';
import type { CatSpec } from '../../model/cat/files.ts';
import { MODELS, type ModelName } from '../../model/core/base.ts';
import { findExplanation } from '../../model/explain/explain.ts';
import { explainGraph } from '../../model/explain/explain-graph.ts';
import { loadCatModels, type ModelChoice } from '../../model/models/registry.ts';
import { type Grade, gradeRecord, problemText, recordTest } from '../grade.ts';
import { cycleSteps, graphToDot } from '../graph-dot.ts';
import { dotToSvg } from '../graph-svg.ts';
import type { ResultRecord } from '../records.ts';
import { type Bar, barChart } from './bars.ts';
import { type Cell, esc, htmlTable, num, page, td } from './page.ts';
import type { TestGroup } from './tests.ts';

export interface PageOptions {
  log: boolean;
}

/** The most rows of a state table (the model's states) on a page. */
export const MAX_ROWS = 256;
/** The model's budget for the page's picture. */
const GRAPH_MODEL_MS = 2_000;

export async function testPage(g: TestGroup, opts: PageOptions): Promise<string> {
  const runs = g.runs;
  const latest = runs.at(-1)!;
  const withSource = [...runs].reverse().find((r) => r.source);
  const withModel = [...runs].reverse().find((r) => r.modelAnswer);
  const grades = new Map(runs.map((r) => [r, gradeRecord(r)]));
  const parts = [identity(g), '<h2>Runs</h2>', runsTable(runs, grades)];
  if (withSource)
    parts.push('<h2>Source</h2>', `<pre class="source">${esc(withSource.source)}</pre>`);
  if (withModel?.modelAnswer) parts.push(...modelStates(withModel));
  const graph = await graphSection(withSource ?? latest, graphModel(withModel));
  if (graph) parts.push(graph);
  parts.push('<h2>Histograms</h2>');
  // The newest run open, and every failing one; the others one click away.
  for (const r of [...runs].reverse())
    parts.push(runDetails(r, grades.get(r)!, opts, r === latest || grades.get(r)!.failed));
  return page(g.name, parts.join('\n'), 'index.html');
}

/** Which test this is: its file(s) and hash, and its Result: line. */
export function identity(g: TestGroup): string {
  const files = [...new Set(g.runs.map((r) => r.file).filter(Boolean))];
  const expected = g.runs.at(-1)?.expected;
  return (
    `<p class="identity">File <code>${files.map(esc).join('</code>, <code>') || 'not recorded'}</code>, ` +
    `hash <code>${esc(g.hash ?? 'not recorded')}</code>` +
    `${expected ? `, Result: line <b>${esc(expected)}</b>` : ''}.</p>`
  );
}

/** One row per run and backend: the test's runs across hosts, engines and backends. */
function runsTable(runs: ResultRecord[], grades: Map<ResultRecord, Grade>): string {
  const rows: Cell[][] = [];
  for (const r of [...runs].reverse()) {
    const grade = grades.get(r)!;
    const at = [td(esc(shortDate(r.date)), 'num'), td(esc(r.hostLabel)), td(esc(r.engineLabel))];
    for (const o of r.observed) {
      const bg = grade.backends.find((b) => b.backend === o.backend)!;
      rows.push([
        ...at,
        td(esc(o.backend)),
        td(num(bg.runs), 'num'),
        td(num(bg.positive), 'num'),
        td(esc(bg.observation)),
        td(num(bg.outside.length), bg.outside.length ? 'num FAIL' : 'num'),
        td(esc(o.partial || r.partial ? 'partial' : '')),
      ]);
    }
    for (const [backend, why] of Object.entries(r.skipped))
      rows.push([
        ...at,
        td(esc(backend)),
        td(''),
        td(''),
        td(''),
        td(''),
        td(esc(`not run: ${why}`), 'quiet'),
      ]);
  }
  return htmlTable(
    [
      'date',
      'host',
      'engine',
      'backend',
      'runs',
      'witnesses',
      'Observation',
      'outside the model',
      'note',
    ],
    rows,
    'class="runs cards"',
  );
}

const shortDate = (d: string) => d.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

function modelStates(r: ResultRecord): string[] {
  const m = r.modelAnswer!;
  const states = Object.entries(m.states);
  const shown = states.slice(0, MAX_ROWS);
  return [
    `<h2>Model ${esc(m.model)}: ${esc(m.observation)}</h2>`,
    htmlTable(
      ['final state', 'condition'],
      shown.map(([s, v]) => [
        td(`<code>${esc(s)}</code>`),
        td(v.witness ? 'satisfied (witness)' : 'not satisfied'),
      ]),
      'class="model-states"',
    ),
    ...(states.length > shown.length
      ? [`<p class="note">${num(states.length - shown.length)} more states not listed.</p>`]
      : []),
  ];
}

/**
 * The model to draw a record's execution under: the one that answered (a model read from files
 * by the .cat, .bell and .def files its options name, if they are still there), lkmm when none
 * did. A record is data from anywhere: only a spec of that shape is taken.
 */
function graphModel(r: ResultRecord | undefined): ModelChoice {
  const chosen = (r?.raw.options as { model?: unknown } | undefined)?.model;
  if (typeof chosen === 'object' && chosen !== null && 'cat' in chosen && isCatSpec(chosen.cat))
    return { cat: chosen.cat };
  const name = r?.modelAnswer?.model;
  return (MODELS as readonly string[]).includes(name ?? '') ? (name as ModelName) : 'lkmm';
}

function isCatSpec(v: unknown): v is CatSpec {
  const spec = v as Partial<Record<keyof CatSpec, unknown>>;
  const file = (f: unknown, ext: string) => typeof f === 'string' && f.endsWith(ext);
  const strings = (a: unknown) => Array.isArray(a) && a.every((x) => typeof x === 'string');
  return (
    typeof v === 'object' &&
    v !== null &&
    file(spec.cat, '.cat') &&
    (spec.bell === undefined || file(spec.bell, '.bell')) &&
    (spec.macros === undefined || file(spec.macros, '.def')) &&
    strings(spec.variants) &&
    strings(spec.includes) &&
    strings(spec.skip)
  );
}

/** The witness or the forbidding cycle, drawn; undefined when the record carries no source. */
async function graphSection(r: ResultRecord, model: ModelChoice): Promise<string | undefined> {
  const test = recordTest(r);
  if (!test) return undefined;
  let g: ReturnType<typeof explainGraph>;
  try {
    if (typeof model !== 'string') await loadCatModels();
    g = explainGraph(test, model, findExplanation(test, model, GRAPH_MODEL_MS));
  } catch (e) {
    // Past the page's budget, or a model read from files that are gone, or changed into a
    // mistake, since the run (a UserError naming the file): the page says so, not a picture.
    const named = typeof model === 'string' ? model : model.cat.cat;
    return `<h2>Execution (${esc(named)})</h2>\n<p class="note">No picture: ${esc((e as Error).message)}</p>`;
  }
  const svg = await dotToSvg(graphToDot(g));
  const what =
    g.verdict === 'witness'
      ? 'A witness execution: the condition is reachable this way.'
      : g.verdict === 'forbidden'
        ? `An execution that would reach the condition, and the cycle (bold) by which the ${g.axiom} axiom forbids it:`
        : 'No candidate execution reaches the condition.';
  const steps = cycleSteps(g);
  const list = steps.length
    ? `<ol class="cycle">${steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>`
    : '';
  return `<h2>Execution (${esc(g.model)})</h2>\n<p>${esc(what)}</p>${list}\n<p class="note">po black, rf red, co blue, fr orange; the cycle purple.</p>\n<div class="graph">${svg}</div>`;
}

function runDetails(r: ResultRecord, grade: Grade, opts: PageOptions, open: boolean): string {
  const parts = [
    `<details${open ? ' open' : ''}><summary>${esc(shortDate(r.date))} — ${esc(r.hostLabel)}, ${esc(r.engineLabel)}${r.partial ? ' (partial)' : ''}</summary>`,
  ];
  for (const p of grade.problems)
    parts.push(`<p class="${p.failure ? 'FAIL' : 'WARN'}">${esc(problemText(p))}</p>`);
  for (const o of r.observed) {
    const g = grade.backends.find((b) => b.backend === o.backend)!;
    const outsideSet = new Set(g.outside);
    // In herd7's order, as the CLI prints a histogram (localeCompare took a second on 200,000).
    const bars: Bar[] = sortedKeys(Object.keys(o.histogram))
      .map((state) => [state, o.histogram[state]!] as const)
      .map(([state, n]) => {
        const outside = outsideSet.has(state);
        const witness = r.modelAnswer?.states[state]?.witness;
        return {
          label: state,
          value: n,
          ...(outside ? { cls: 'forbidden', note: 'FORBIDDEN (outside the model)' } : {}),
          ...(!outside && witness ? { cls: 'interesting', note: 'witness' } : {}),
        };
      });
    parts.push(
      `<p>${esc(o.backend)}: ${num(o.runs)} runs, Observation <b>${esc(g.observation)}</b> (${num(g.positive)} positive, ${num(g.negative)} negative)</p>`,
      barChart(`${o.backend} histogram`, bars, opts.log),
    );
  }
  const ablation = r.raw.ablation;
  if (Array.isArray(ablation) && ablation.length > 0) parts.push(ablationTable(ablation));
  parts.push('</details>');
  return parts.join('\n');
}

interface AblationRow {
  element: string;
  change: string;
  observation: string;
  newlyAllowed: string[];
  /** Witnesses per threads backend (older records: `hw` alone). */
  runs?: Record<string, { runs: number; witnesses: number }>;
  hw?: { runs: number; witnesses: number };
}

function ablationTable(rows: AblationRow[]): string {
  const runsOf = (a: AblationRow) => a.runs ?? (a.hw ? { hw: a.hw } : {});
  const backends = [...new Set(rows.flatMap((a) => Object.keys(runsOf(a))))].sort();
  return [
    '<h4>Ablation (each ordering element removed or weakened alone)</h4>',
    htmlTable(
      ['element', 'change', 'verdict', 'necessary?', ...backends.map((b) => `${esc(b)} witnesses`)],
      rows.slice(0, MAX_ROWS).map((a) => [
        td(esc(a.element)),
        td(esc(a.change)),
        td(esc(a.observation)),
        td(a.newlyAllowed.length > 0 ? `yes: allows ${esc(a.newlyAllowed.join(' | '))}` : 'no'),
        ...backends.map((b) => {
          const x = runsOf(a)[b];
          return td(x ? `${num(x.witnesses)} / ${num(x.runs)}` : '-', 'num');
        }),
      ]),
      'class="ablation"',
    ),
  ].join('\n');
}
