// The page of one program scenario in the HTML report: what the CLI prints for each run, as
// tables — the outcome counts per variant with each outcome's grade (a forbidden outcome seen
// marked as a failure, a forbidden one never seen quiet), iterations and time, counters and
// latencies (p50/p99/max in ns, µs or ms, as scenario-text.ts writes them), the stalls the
// watchdog found, the variants' descriptions, the failures and the scenario's notes. The rows
// come from scenario-text.ts, so the page and the terminal cannot disagree. A run on the model
// shows its verdicts, explanations and ablation instead (scenario-model.ts).

import type { ScenarioResult, VariantResult } from '../../runtime/scenario/result.ts';
import { gradeRecord, problemText } from '../grade.ts';
import { programResults, type ResultRecord } from '../records.ts';
import {
  metricRows,
  outcomeCells,
  overlapLines,
  stallLines,
  type Cell as TextCell,
} from '../scenario-text.ts';
import { type Cell, esc, htmlTable, page, td } from './page.ts';
import { modelRunParts } from './scenario-model.ts';
import { identity, type PageOptions } from './test-page.ts';
import type { TestGroup } from './tests.ts';

export async function scenarioPage(g: TestGroup, _opts: PageOptions): Promise<string> {
  const runs = [...g.runs].reverse().flatMap((r) => programResults(r).map((p) => ({ r, ...p })));
  const description = runs.map((x) => x.result.description).find((d) => typeof d === 'string');
  const parts = [identity(g), description ? `<p>${esc(description)}</p>` : ''];
  parts.push(
    '<h2>Runs</h2>',
    htmlTable(
      ['date', 'host', 'engine', 'backend', 'variants', 'failures'],
      runs.map(({ r, backend, result }) => {
        const failures = Array.isArray(result.failures) ? result.failures.length : 0;
        return [
          td(esc(r.date.replace('T', ' ').replace(/\.\d+Z$/, 'Z')), 'num'),
          td(esc(r.hostLabel)),
          td(esc(r.engineLabel)),
          td(esc(backend)),
          td(esc(Array.isArray(result.variants) ? result.variants.length : 0), 'num'),
          td(esc(failures), failures ? 'num FAIL' : 'num'),
        ];
      }),
      'class="runs cards"',
    ),
  );
  for (const [i, { r, backend, result }] of runs.entries()) {
    const failed = Array.isArray(result.failures) && result.failures.length > 0;
    const body = backend === 'model' ? await modelRunParts(result) : undefined;
    parts.push(runSection(r, backend, scenarioOf(result), i === 0 || failed, body));
  }
  return page(g.name, parts.join('\n'), 'index.html');
}

/** A recorded result (checked by the schema) with the fields older records lack filled in. */
function scenarioOf(raw: Record<string, unknown>): ScenarioResult {
  const r = raw as unknown as ScenarioResult;
  return {
    ...r,
    notes: r.notes ?? [],
    failures: r.failures ?? [],
    variants: (r.variants ?? []).map(
      (v): VariantResult => ({
        ...v,
        description: v.description ?? '',
        elapsedSeconds: v.elapsedSeconds ?? 0,
        counters: v.counters ?? [],
        latencies: v.latencies ?? [],
        stall: v.stall ?? undefined,
        error: v.error ?? undefined,
      }),
    ),
  };
}

/** `model`: the model run's own tables, in place of the counts and metrics. */
function runSection(
  r: ResultRecord,
  backend: string,
  s: ScenarioResult,
  open: boolean,
  model?: string,
): string {
  const vs = s.variants;
  const parts = [
    `<details${open ? ' open' : ''}><summary>${esc(r.date.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))} — ${esc(backend)} on ${esc(r.hostLabel)}, ${esc(r.engineLabel)}${s.memory ? `, memory ${esc(s.memory)}` : ''}${r.partial ? ' (partial)' : ''}</summary>`,
  ];
  // A record's problems name the backend only when several ran it (`weak plain`).
  const mine = (where = '') => !where.includes(' ') || where.startsWith(`${backend} `);
  for (const p of gradeRecord(r).problems.filter((p) => mine(p.where)))
    parts.push(`<p class="${p.failure ? 'FAIL' : 'WARN'}">${esc(problemText(p))}</p>`);
  if (model !== undefined) {
    parts.push(model, '</details>');
    return parts.join('\n');
  }
  if (vs.length === 0) parts.push('<p class="note">No variant ran.</p>');
  else {
    const head = ['outcome', ...vs.map((v) => esc(v.variant))];
    parts.push(
      htmlTable(
        head,
        outcomeCells(vs).map((row) => row.map(outcomeCell)),
        'class="outcomes"',
      ),
    );
    const metrics = metricRows(vs);
    if (metrics.length)
      parts.push(
        htmlTable(
          ['metric', ...vs.map((v) => esc(v.variant))],
          metrics.map(([name, ...cells]) => [
            td(esc(name)),
            ...cells.map((c) => td(esc(c), 'num')),
          ]),
          'class="metrics"',
        ),
      );
  }
  const short = overlapLines(vs);
  if (short.length)
    parts.push(
      `<ul class="overlap">${short.map((l) => `<li class="WARN">${esc(l)}</li>`).join('')}</ul>`,
    );
  const stalls = vs.filter((v) => v.stall);
  if (stalls.length)
    parts.push(
      '<h4>Stalls</h4>',
      `<pre class="stalls">${esc(stalls.flatMap((v) => stallLines(v.variant, v.stall!, v.stallGrade)).join('\n'))}</pre>`,
    );
  parts.push(
    '<h4>Variants</h4>',
    `<ul class="variants">${vs.map((v) => `<li><b>${esc(v.variant)}</b>: ${esc(v.description)}</li>`).join('')}</ul>`,
  );
  if (s.notes.length)
    parts.push(
      '<h4>Notes</h4>',
      // Lines as the scenario wrote them, as the CLI prints them.
      `<p class="notes">${esc(s.notes.join('\n'))}</p>`,
    );
  parts.push('</details>');
  return parts.join('\n');
}

/** An outcome cell: a forbidden outcome seen is a failure; one never seen, or a zero, is quiet. */
function outcomeCell(c: TextCell, column: number): Cell {
  if (column === 0) return td(esc(c.text));
  const zero = /^0 /.test(c.text);
  const cls = c.failure
    ? 'failure'
    : zero
      ? 'quiet'
      : c.grade === 'interesting'
        ? 'interesting'
        : '';
  return td(esc(c.text), `num ${cls}`.trim());
}
