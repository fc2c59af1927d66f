// One page per test or scenario of the HTML report: for a litmus test its source, the model's
// verdict and states, the witness execution or the forbidding cycle drawn as a graph, and each
// run's histogram (one per backend, host and engine) with the ablation table when one was run;
// for a program scenario, each run's outcome table per variant and its latencies.

import { UserError } from '../../errors.ts';
import { MODELS, type ModelName } from '../../model/core/base.ts';
import { explainGraph } from '../../model/explain/explain-graph.ts';
import type { ModelChoice } from '../../model/models/registry.ts';
import { type Grade, gradeRecord, problemText, recordTest } from '../grade.ts';
import { graphToDot } from '../graph-dot.ts';
import { dotToSvg } from '../graph-svg.ts';
import { programResults, type ResultRecord } from '../records.ts';
import { type Bar, barChart } from './bars.ts';
import { esc, htmlTable, page, td } from './page.ts';

export interface PageOptions {
  log: boolean;
}

/** The page of one test: `runs` are its records, oldest first. */
export async function testPage(runs: ResultRecord[], opts: PageOptions): Promise<string> {
  const name = runs[0]!.name;
  const body =
    runs[0]!.kind === 'program'
      ? runs.flatMap((r) => programResults(r).map((p) => programRun(r, p, opts))).join('\n')
      : await litmusBody(runs, opts);
  return page(name, body, 'index.html');
}

async function litmusBody(runs: ResultRecord[], opts: PageOptions): Promise<string> {
  const latest = runs[runs.length - 1]!;
  const withSource = [...runs].reverse().find((r) => r.source);
  const withModel = [...runs].reverse().find((r) => r.modelAnswer);
  const parts: string[] = [];
  parts.push(
    `<p>File <code>${esc(latest.raw.file ?? '?')}</code>, hash <code>${esc(latest.hash ?? '?')}</code>` +
      `${latest.expected ? `, Result: line <b>${esc(latest.expected)}</b>` : ''}.</p>`,
  );
  if (withSource)
    parts.push('<h2>Source</h2>', `<pre class="source">${esc(withSource.source)}</pre>`);
  if (withModel?.modelAnswer) {
    const m = withModel.modelAnswer;
    parts.push(
      `<h2>Model ${esc(m.model)}: ${esc(m.observation)}</h2>`,
      htmlTable(
        ['final state', 'condition'],
        Object.entries(m.states).map(([s, v]) => [
          td(`<code>${esc(s)}</code>`),
          td(v.witness ? 'satisfied (witness)' : 'not satisfied'),
        ]),
        'class="model-states"',
      ),
    );
  }
  const graph = await graphSection(withSource ?? latest, graphModel(withModel));
  if (graph) parts.push(graph);
  parts.push('<h2>Runs</h2>');
  for (const r of [...runs].reverse()) parts.push(litmusRun(r, gradeRecord(r), opts));
  return parts.join('\n');
}

/**
 * The model to draw a record's execution under: the one that answered (a model read from files
 * by the files it names, if they are still there), lkmm when none did.
 */
function graphModel(r: ResultRecord | undefined): ModelChoice {
  const options = r?.raw.options as { model?: unknown } | undefined;
  const chosen = options?.model;
  if (typeof chosen === 'object' && chosen !== null && 'cat' in chosen)
    return chosen as ModelChoice;
  const name = r?.modelAnswer?.model;
  return (MODELS as readonly string[]).includes(name ?? '') ? (name as ModelName) : 'lkmm';
}

/** The witness or the forbidding cycle, drawn; undefined when the record carries no source. */
async function graphSection(r: ResultRecord, model: ModelChoice): Promise<string | undefined> {
  const test = recordTest(r);
  if (!test) return undefined;
  let g: ReturnType<typeof explainGraph>;
  try {
    g = explainGraph(test, model);
  } catch (e) {
    // A model read from files that are gone, or changed into a mistake, since the run.
    if (!(e instanceof UserError)) throw e;
    return `<h2>Execution</h2>\n<p class="note">Not drawn: ${esc(e.message)}</p>`;
  }
  const svg = await dotToSvg(graphToDot(g));
  const what =
    g.verdict === 'witness'
      ? 'A witness execution: the condition is reachable this way.'
      : g.verdict === 'forbidden'
        ? `An execution that would reach the condition, and the cycle (bold) by which the ${g.axiom} axiom forbids it.`
        : 'No candidate execution reaches the condition.';
  return `<h2>Execution (${esc(g.model)})</h2>\n<p>${esc(what)} po black, rf red, co blue, fr orange.</p>\n<div class="graph">${svg}</div>`;
}

function litmusRun(r: ResultRecord, grade: Grade, opts: PageOptions): string {
  const parts = [
    `<h3>${esc(r.date)} — ${esc(r.hostLabel)}, ${esc(r.engineLabel)}${r.partial ? ' (partial)' : ''}</h3>`,
  ];
  for (const p of grade.problems)
    parts.push(`<p class="${p.failure ? 'FAIL' : 'WARN'}">${esc(p.message)}</p>`);
  for (const [backend, why] of Object.entries(r.skipped))
    parts.push(`<p class="note">${esc(backend)}: not run — ${esc(why)}</p>`);
  for (const o of r.observed) {
    const g = grade.backends.find((b) => b.backend === o.backend)!;
    const bars: Bar[] = Object.entries(o.histogram)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([state, n]) => {
        const outside = g.outside.includes(state);
        const witness = r.modelAnswer?.states[state]?.witness;
        return {
          label: state,
          value: n,
          ...(outside ? { cls: 'forbidden', note: 'FORBIDDEN (outside the model)' } : {}),
          ...(!outside && witness ? { cls: 'interesting', note: 'witness' } : {}),
        };
      });
    parts.push(
      `<p>${esc(o.backend)}: ${o.runs.toLocaleString('en-US')} runs, Observation <b>${esc(g.observation)}</b> (${g.positive.toLocaleString('en-US')} positive, ${g.negative.toLocaleString('en-US')} negative)</p>`,
      barChart(`${o.backend} histogram`, bars, opts.log),
    );
  }
  const ablation = r.raw.ablation;
  if (Array.isArray(ablation) && ablation.length > 0) parts.push(ablationTable(ablation));
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
      rows.map((a) => [
        td(esc(a.element)),
        td(esc(a.change)),
        td(esc(a.observation)),
        td(a.newlyAllowed.length > 0 ? `yes: allows ${esc(a.newlyAllowed.join(' | '))}` : 'no'),
        ...backends.map((b) => {
          const x = runsOf(a)[b];
          return td(
            x ? `${x.witnesses.toLocaleString('en-US')} / ${x.runs.toLocaleString('en-US')}` : '-',
            'num',
          );
        }),
      ]),
      'class="ablation"',
    ),
  ].join('\n');
}

interface VariantData {
  variant: string;
  description?: string;
  iterations?: number;
  elapsedSeconds?: number;
  stoppedBy?: string;
  outcomes: { outcome: string; count: number; grade: string }[];
  latencies?: { name: string; count: number; p50Ns: number; p99Ns: number; maxNs: number }[];
}

function programRun(
  r: ResultRecord,
  run: { backend: string; result: Record<string, unknown> },
  opts: PageOptions,
): string {
  const grade = gradeRecord(r);
  const result = run.result as { variants?: VariantData[]; description?: string };
  const variants = result.variants ?? [];
  const parts = [
    `<h2>${esc(r.date)} — ${esc(run.backend)} on ${esc(r.hostLabel)}, ${esc(r.engineLabel)}${r.partial ? ' (partial)' : ''}</h2>`,
  ];
  if (result?.description) parts.push(`<p>${esc(result.description)}</p>`);
  for (const p of grade.problems)
    parts.push(`<p class="${p.failure ? 'FAIL' : 'WARN'}">${esc(problemText(p))}</p>`);
  const outcomes = [...new Set(variants.flatMap((v) => v.outcomes.map((o) => o.outcome)))];
  parts.push(
    htmlTable(
      ['outcome', ...variants.map((v) => esc(v.variant))],
      [
        ...outcomes.map((o) => [
          td(esc(o)),
          ...variants.map((v) => {
            const c = v.outcomes.find((x) => x.outcome === o);
            if (!c) return td('');
            const bad = c.grade === 'forbidden' && c.count > 0;
            return td(
              `${c.count.toLocaleString('en-US')} ${esc(c.grade)}`,
              bad ? 'num FAIL' : `num ${c.grade}`,
            );
          }),
        ]),
        [td('<i>stopped by</i>'), ...variants.map((v) => td(esc(v.stoppedBy ?? '')))],
      ],
      'class="outcomes"',
    ),
  );
  for (const v of variants) {
    if (!v.latencies?.length) continue;
    const bars: Bar[] = v.latencies.flatMap((l) => [
      { label: `${l.name} p50`, value: Math.round(l.p50Ns) },
      { label: `${l.name} p99`, value: Math.round(l.p99Ns) },
      { label: `${l.name} max`, value: Math.round(l.maxNs) },
    ]);
    parts.push(barChart(`${v.variant}: latencies in ns`, bars, opts.log));
  }
  return parts.join('\n');
}
