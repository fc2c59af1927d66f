// A program scenario's run on the model backend, on its page: the verdict table the CLI prints
// (each outcome `reachable` or `never` with how far that holds, the variants side by side), the
// execution --explain OUTCOME kept (its text as the CLI prints it, and its graph drawn with the
// litmus tests' code), and the --ablate table. Read from the record, never recomputed: the page
// shows what the run found.

import type { ModelDeadlock } from '../../explore/deadlock.ts';
import type { ScenarioExplanation } from '../../explore/explain.ts';
import type { ScenarioAblationRow, ScenarioModelResult } from '../../explore/scenario-result.ts';
import { graphToDot } from '../graph-dot.ts';
import { dotToSvg } from '../graph-svg.ts';
import { formatScenarioExplanation } from '../scenario-explain-text.ts';
import { aside, cell, deadlockText, executions, howFar } from '../scenario-model-text.ts';
import { esc, htmlTable, td } from './page.ts';

/** The verdicts of a model run, its explanations and its ablation (inside the run's section). */
export async function modelRunParts(result: Record<string, unknown>): Promise<string> {
  const r = result as unknown as ScenarioModelResult;
  const vs = (r.variants ?? []).filter((v) => v.refused === undefined);
  const refused = (r.variants ?? []).find((v) => v.refused !== undefined);
  const parts = [
    `<p>Model ${esc(r.model)}: every execution of the model instance (${esc(r.instance)}); loop bound ${esc(r.loopBound)}.</p>`,
  ];
  if (refused) parts.push(`<p class="WARN">Not explored: ${esc(refused.refused)}</p>`);
  if (vs.length > 0) {
    const names = vs[0]!.outcomes.map((o) => o.outcome);
    const rows = names.map((name) => [
      td(esc(name)),
      ...vs.map((v) => {
        const o = v.outcomes.find((x) => x.outcome === name);
        if (!o) return td('');
        const text = cell(v, o);
        const cls = text.endsWith('FAILURE')
          ? 'failure'
          : o.verdict !== 'reachable'
            ? 'quiet'
            : o.grade === 'interesting'
              ? 'interesting'
              : '';
        return td(esc(text), cls);
      }),
    ]);
    rows.push([
      td('explored'),
      ...vs.map((v) =>
        td(
          esc(`${howFar(v.extent)}: ${executions(v.executions)}, ${v.elapsedSeconds.toFixed(2)} s`),
          'num',
        ),
      ),
    ]);
    parts.push(
      htmlTable(['outcome', ...vs.map((v) => esc(v.variant))], rows, 'class="outcomes model"'),
    );
  }
  parts.push(await scenarioModelSections(result));
  return parts.join('\n');
}

/** The explanations and the ablation a model backend's result carries ('' when none). */
export async function scenarioModelSections(result: Record<string, unknown>): Promise<string> {
  const variants = Array.isArray(result.variants)
    ? (result.variants as {
        variant: string;
        explanation?: ScenarioExplanation;
        deadlock?: ModelDeadlock;
      }[])
    : [];
  const parts: string[] = [];
  for (const v of variants)
    if (v.deadlock)
      parts.push(`<h3>Deadlock in ${esc(v.variant)}</h3>`, `<pre>${esc(deadlockText(v))}</pre>`);
  for (const v of variants) {
    const e = v.explanation;
    if (!e) continue;
    const svg = await dotToSvg(graphToDot(e.graph));
    parts.push(
      `<h3>Explanation: "${esc(e.outcome)}" in ${esc(v.variant)} under ${esc(e.model)}</h3>`,
      `<pre>${esc(formatScenarioExplanation(e))}</pre>`,
      `<p>${esc(graphNote(e))} po black, rf red, co blue, fr orange.</p>`,
      `<div class="graph">${svg}</div>`,
    );
  }
  const rows = Array.isArray(result.ablation) ? (result.ablation as ScenarioAblationRow[]) : [];
  if (rows.length > 0) parts.push(ablationTable(rows));
  return parts.join('\n');
}

function graphNote(e: ScenarioExplanation): string {
  switch (e.graph.verdict) {
    case 'witness':
      return 'The execution that reaches it, each event with its call and line.';
    case 'forbidden':
      return `The smallest execution that would reach it, and the cycle (bold) by which the ${e.graph.axiom} axiom forbids it.`;
    case 'unreached':
      return 'No candidate execution reaches it.';
  }
}

function ablationTable(rows: ScenarioAblationRow[]): string {
  return [
    '<h3>Ablation (each ordering call of the scenario weakened alone)</h3>',
    htmlTable(
      ['variant', 'element', 'thread', 'change', 'newly reachable', 'explored'],
      rows.map((r) => [
        td(esc(r.variant)),
        td(esc(r.element)),
        td(esc(r.threads.join(', '))),
        td(esc(r.change)),
        td(
          r.newlyReachable.map((o) => `${esc(o.outcome)} (${esc(o.grade)})`).join('<br>') || 'none',
          r.newlyReachable.some((o) => o.grade === 'forbidden') ? 'forbidden' : '',
        ),
        td(`${esc(r.extent.kind + aside(r.extent))}, ${executions(r.executions)}`),
      ]),
      'class="ablation"',
    ),
  ].join('\n');
}
