// The text of `run SCENARIO --on model --explain OUTCOME`: per variant, the execution that
// reaches the outcome (each CPU's kernel API calls at their lines of the scenario, the values
// read and the write each came from), or why it is never reached: how far that holds and, for
// the candidate executions that would reach it, the axiom that rejects each and its cycle — the
// way --explain tells a litmus test (src/model/explain/explain.ts). Data in, string out.

import type {
  ExplainedExecution,
  ExplainedThread,
  ScenarioExplanation,
} from '../explore/explain.ts';
import { count, table } from './format.ts';
import { notReached } from './scenario-model-text.ts';

export function formatScenarioExplanation(e: ScenarioExplanation): string {
  const what = `"${e.outcome}" in ${e.scenario} ${e.variant} under ${e.model}`;
  if (e.witness) {
    return [
      `${what}: reachable — ${count(e.reaching)} of ${count(e.executions)} execution${e.executions === 1 ? '' : 's'} reach it. One of them:`,
      ...executionLines(e.witness),
      ...marks(e),
    ].join('\n');
  }
  const lines = [`${what}: ${notReached(e)}.`];
  if (e.rejectedCount === 0) {
    lines.push(
      'No candidate execution the explorer judged reaches it: no run of the threads, with values some write stores, leads there.',
    );
    return lines.join('\n');
  }
  const n = e.rejectedCount;
  const by = Object.entries(e.rejectedBy)
    .map(([axiom, k]) => `${axiom} ${count(k)}`)
    .join(', ');
  lines.push(
    `${count(n)} candidate execution${n === 1 ? '' : 's'} would reach it; the model forbids ${n === 1 ? 'it' : 'each'} (by axiom: ${by}).`,
  );
  const r = e.rejected;
  if (r)
    lines.push(
      '',
      `The smallest: forbidden by the ${r.axiom} axiom (${r.check}).`,
      ...executionLines(r.execution),
      ...r.cycle,
    );
  return lines.join('\n');
}

/** Each CPU's calls as a table (line, call, events with their sources), then co and final values. */
function executionLines(x: ExplainedExecution): string[] {
  const lines: string[] = [];
  for (const t of x.threads) lines.push(...threadLines(t));
  if (x.coherence.length > 0) lines.push('  co:', ...x.coherence.map((c) => `    ${c}`));
  lines.push(`  final values: ${x.finals.join(' ')}`);
  return lines;
}

function threadLines(t: ExplainedThread): string[] {
  const rows = t.calls.flatMap((c) => {
    const at = `${c.file}:${c.line}`;
    const call = `${c.call}()`;
    const done = [
      ...c.events.map((e) => (e.from ? `${e.text} from ${e.from}` : e.text)),
      ...c.answers,
    ];
    if (done.length === 0) return [[at, call, '']];
    return done.map((d, i) => (i === 0 ? [at, call, d] : ['', '', d]));
  });
  const ended = [
    ...(t.returned.length > 0 ? [`returned ${t.returned.join(', ')}`] : []),
    ...(t.observed.length > 0 ? [`observed ${t.observed.map((o) => `"${o}"`).join(', ')}`] : []),
  ];
  const body = rows.length > 0 ? table(rows).split('\n') : ['(no calls)'];
  return [
    `  P${t.thread} ${t.name}:`,
    ...body.map((l) => `    ${l.trimEnd()}`),
    ...(ended.length > 0 ? [`    ${ended.join('; ')}`] : []),
  ];
}

/** What the reachable cell's marks say, for this outcome. */
function marks(e: ScenarioExplanation): string[] {
  const out: string[] = [];
  if (e.raceFree === 0)
    out.push(
      'Every execution that reaches it has a data race: plain accesses of two CPUs to one location, not ordered (lkmm flags data-race; the kernel calls that undefined behaviour).',
    );
  if (e.ordered === 0)
    out.push(
      "No dependency: with every read ordered before its thread's later accesses, lkmm forbids each of them; kernel code with an address, data or control dependency on this path does not reach it.",
    );
  const d = e.withDependencies;
  if (d)
    out.push(
      `This one, with a control dependency from each read, is forbidden by the ${d.axiom} axiom (${d.check}):`,
      ...d.cycle,
    );
  return out;
}
