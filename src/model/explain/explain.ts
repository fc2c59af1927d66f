// --explain: why a model allows or forbids a test's condition, told the way the kernel's
// explanation.txt tells it.
//
// Reachable: one witness execution — each thread's events with the values they read and
// wrote, then rf (which write each read took its value from) and co per location.
// Unreachable: for the candidate executions that would reach the condition, the axiom that
// rejects each (first few), and the cycle that breaks it, as steps "A ... before B" that come
// back to where they started; each step names the relation behind it (fre, rfe, ppo, a
// strong fence and the smp_mb() that makes it, ...).
//
// This module only reads executions and model results; it decides nothing itself.

import { evalProp, stateKeyName, type Test } from '../../litmus/ir.ts';
import { formatKey, formatValue } from '../../litmus/state.ts';
import { modelOf } from '../check/check.ts';
import { stateLookup } from '../check/tally.ts';
import type { Axiom, Model } from '../core/base.ts';
import { Budget, DEFAULT_MODEL_TIMEOUT_MS } from '../core/budget.ts';
import type { Execution } from '../core/execution.ts';
import type { Relation } from '../core/relation.ts';
import { forEachCandidate } from '../enumerate/candidates.ts';
import { valueDomains } from '../enumerate/values.ts';
import type { ModelChoice } from '../models/registry.ts';
import { HerdValues } from '../solve/solve.ts';
import { eventName } from './describe.ts';
import { axiomCycle } from './explain-cycle.ts';

/** How many rejected executions reaching the condition are explained at most. */
const MAX_EXPLAINED = 3;

/** A rejected execution that reaches the condition: the axiom and the relation it fails on. */
export interface Rejected {
  x: Execution;
  axiom: Axiom;
  rel: Relation;
  named?: Map<string, Relation>;
}

/** What --explain tells: a witness, or the first few executions reaching the condition and why each is forbidden. */
export interface Explanation {
  witness?: Execution;
  rejected: Rejected[];
  /** Candidate executions that reach the condition. */
  reaching: number;
}

/** Search the candidates for a witness of the condition, keeping rejected ones reaching it. */
export function findExplanation(
  test: Test,
  model: ModelChoice | Model,
  timeoutMs = DEFAULT_MODEL_TIMEOUT_MS,
): Explanation {
  const m = modelOf(model);
  const budget = new Budget({
    timeoutMs,
    what: `${test.name} under ${m.name}`,
  });
  let witness: Execution | undefined;
  const rejected: Rejected[] = [];
  let reaching = 0;
  const herd = new HerdValues(test, () => valueDomains(test, budget.tick));
  forEachCandidate(
    test,
    budget,
    (x) => {
      if (witness || !reachesCondition(test, x, herd)) return;
      reaching++;
      const result = m.run(x, true);
      // A cat model completes the candidate itself (its own co): explain what it completed.
      const done = result.x ?? x;
      if ((result.executions ?? (result.failed ? 0 : 1)) > 0) witness = done;
      else if (result.failed && rejected.length < MAX_EXPLAINED)
        rejected.push({ x: done, ...result.failed, ...(result.named && { named: result.named }) });
    },
    m.choices ? { choices: m.choices(test) } : {},
  );
  return { ...(witness && { witness }), rejected, reaching };
}

/** --explain's text: of `found`, the search the picture (explain-graph.ts) draws too. */
export function explain(
  test: Test,
  modelChoice: ModelChoice | Model,
  found: Explanation = findExplanation(test, modelChoice),
): string[] {
  const { witness, rejected, reaching } = found;
  const model = modelOf(modelChoice).name;
  const cond = `${test.condition.quantifier} ${conditionText(test)}`;
  if (witness) {
    return [
      `${test.name} under ${model}: the condition ${cond} is reachable. A witness execution:`,
      ...witnessLines(test, witness),
    ];
  }
  if (reaching === 0) {
    return [
      `${test.name} under ${model}: the condition ${cond} is never reached.`,
      'No candidate execution even reaches those values: no write stores them, no path of the threads produces them, or only a cycle that determines no value would (herd7 keeps such a value as a symbol, equal to no constant).',
    ];
  }
  const lines = [
    `${test.name} under ${model}: the condition ${cond} is never reached.`,
    `${reaching} candidate execution${reaching === 1 ? '' : 's'} would reach it; the model forbids ${reaching === 1 ? 'it' : 'each'}.`,
  ];
  rejected.forEach((r, i) => {
    lines.push(
      '',
      `Execution ${i + 1}: forbidden by the ${r.axiom.name} axiom (${r.axiom.check} ${r.axiom.rel}).`,
    );
    lines.push(...witnessLines(test, r.x).map((l) => `  ${l}`));
    lines.push(...axiomCycle(test, r.x, r.axiom, r.rel, r.named));
  });
  if (reaching > rejected.length)
    lines.push(
      '',
      `(${reaching - rejected.length} more forbidden the same way or another; not shown)`,
    );
  return lines;
}

/** Whether x's final state, as herd7 has it (solve/solve.ts), reaches the condition. */
function reachesCondition(test: Test, x: Execution, herd: HerdValues): boolean {
  const lookup = herd.lookup(x, stateLookup(test, x));
  if (!lookup) return false;
  if (test.filter && !evalProp(test.filter, lookup)) return false;
  return evalProp(test.condition.prop, lookup);
}

/** Events per thread, then rf and co: the execution as herd7's graph would show it. */
function witnessLines(test: Test, x: Execution): string[] {
  const lines: string[] = [];
  const evs = x.sk.events.filter((e) => e.thread >= 0 && e.dir !== 'F');
  for (const t of test.threads) {
    const mine = evs
      .filter((e) => e.thread === t.id)
      .map((e) => eventName(test, e).replace(/^P\d+ /, ''));
    lines.push(`P${t.id}: ${mine.join('; ') || '(no memory events)'}`);
  }
  const rf = [...x.rf.pairs()].map(([w, r]) => `${short(test, x, w)} → ${short(test, x, r)}`);
  lines.push(`rf: ${rf.join(', ') || 'none'}`);
  const co = x.coOrder
    .map((order, l) =>
      order.length > 1
        ? `${test.locations[l]!.name}: ${order.map((w) => short(test, x, w)).join(' < ')}`
        : '',
    )
    .filter((s) => s !== '');
  lines.push(`co: ${co.join('; ') || 'only initial writes'}`);
  return lines;
}

function short(test: Test, x: Execution, id: number): string {
  const e = x.sk.events[id]!;
  const loc = e.loc >= 0 ? test.locations[e.loc]!.name : '';
  if (e.thread < 0) return `init ${loc}=${formatValue(test, e.value)}`;
  return e.lock
    ? `P${e.thread}:${e.lock} ${loc}`
    : `P${e.thread}:${e.dir}${loc}=${formatValue(test, e.value)}`;
}

function conditionText(test: Test): string {
  const show = (p: Test['condition']['prop']): string => {
    switch (p.kind) {
      case 'true':
        return 'true';
      case 'eq':
        return `${stateKeyName(p.key)}=${formatValue(test, p.value)}`;
      case 'eqkeys':
        return `${stateKeyName(p.key)}=${formatKey(p.other)}`;
      case 'not':
        return `~${show(p.arg)}`;
      case 'and':
        return `${show(p.left)} /\\ ${show(p.right)}`;
      case 'or':
        return `(${show(p.left)} \\/ ${show(p.right)})`;
    }
  };
  return `(${show(test.condition.prop)})`;
}
