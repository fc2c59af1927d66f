// Whether a replay repeats an earlier run of the same code with the same answers (thread.ts):
// event for event up to where the earlier run stopped, the question it stopped at asked at the
// same event, and (a finished run run twice) the same end and result. A difference is code that
// is not deterministic given its reads — state kept between runs, or a clock or randomness no
// trap of determinism.ts caught — and is refused, at the scenario's call that made it
// (call-site.ts) where there is one. Only the refusals' text and the comparisons live here; the
// replay decides what to compare with.

import type { TracedEvent } from '../memory/explore.ts';
import type { EventSpec } from '../model/core/events.ts';
import { callSite } from './call-site.ts';
import { NotDeterministic } from './determinism.ts';
import type { Question as Asked } from './question.ts';

export const NOT_DETERMINISTIC = 'the code is not deterministic given its reads';

/** A run as compared (thread.ts's Replay). */
interface Ended {
  kind: string;
  trace: { events: readonly EventSpec[] };
  result?: unknown;
}

/** Whether a replayed event is the earlier run's: what the model reads of it. */
export function sameEvent(a: EventSpec, e: TracedEvent): boolean {
  return (
    a.dir === e.dir &&
    a.loc === e.loc &&
    a.value === e.value &&
    a.annot === e.annot &&
    a.lock === e.lock &&
    a.rmw === e.rmw &&
    a.srcu === e.srcu &&
    a.gp === e.gp
  );
}

/** Event `i` of a replay, `e`, is not the earlier run's (`was`; none: it had ended there). */
export function diverged(i: number, e: TracedEvent, was: EventSpec | undefined): never {
  const site = callSite(e.op);
  const other = was && was.loc !== e.loc ? ' at another location' : '';
  throw new NotDeterministic(
    `${NOT_DETERMINISTIC}: replayed with the same answers, its event ${i + 1} is ${site?.call ?? e.op}'s ${eventText(e)}${other} where the earlier run's was ${was ? `a ${eventText(was)}` : 'none (it had ended)'} (state kept between runs, or the host's clock or randomness?)`,
    site?.file,
    site && { line: site.line, col: site.col },
  );
}

/**
 * The earlier run stopped at question `was` after `wasAt` events: a replay asking that
 * question's turn must ask `q` = `was`, after `at` = `wasAt` events.
 */
export function sameQuestion(was: Asked, q: Asked, at: number, wasAt: number): void {
  if (at === wasAt && same(was, q)) return;
  const site = callSite(q.kind);
  throw new NotDeterministic(
    `${NOT_DETERMINISTIC}: replayed with the same answers, it asked ${questionText(q, was)} after ${at} events where the earlier run asked ${questionText(was)} after ${wasAt}`,
    site?.file,
    site && { line: site.line, col: site.col },
  );
}

function same(a: Asked, b: Asked): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'choice') return a.n === (b as typeof a).n && a.what === (b as typeof a).what;
  if (a.kind === 'read') return a.loc === (b as typeof a).loc && a.lock === (b as typeof a).lock;
  return a.loc === (b as typeof a).loc && a.attempt === (b as typeof a).attempt;
}

/** A finished run run again with its answers (`again`) ended as `first` did. */
export function sameEnd(first: Ended, again: Ended): void {
  const n = first.trace.events.length;
  const m = again.trace.events.length;
  if (first.kind !== again.kind || n !== m)
    throw new NotDeterministic(
      `${NOT_DETERMINISTIC}: run twice with the same answers, it ended ${first.kind} after ${n} events, then ${again.kind} after ${m}`,
    );
  if (first.kind === 'done' && !sameData(first.result, again.result))
    throw new NotDeterministic(
      `${NOT_DETERMINISTIC}: run twice with the same answers, it returned or observed ${JSON.stringify(first.result)}, then ${JSON.stringify(again.result)}`,
    );
}

/** Whether two results are the same plain data (numbers, strings, arrays, objects of them). */
function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) =>
      sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

function eventText(e: Pick<EventSpec, 'dir' | 'annot' | 'value' | 'lock'>): string {
  const what = e.lock ?? { R: 'read', W: 'write', F: 'fence' }[e.dir];
  return `${e.annot} ${what}${e.dir === 'W' ? ` of ${e.value}` : ''}`;
}

/** What `q` asks; `than`: another question, when `q` is at another location than it. */
function questionText(q: Asked, than?: Asked): string {
  if (q.kind === 'choice') return `a choice (${q.what}, of ${q.n})`;
  const other = than && than.kind !== 'choice' && than.loc !== q.loc ? ' at another location' : '';
  return `${q.kind === 'read' ? 'the value of a read' : `whether it ${q.attempt ? 'gets' : 'takes'} a lock`}${other}`;
}
