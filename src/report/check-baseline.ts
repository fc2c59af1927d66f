// `check --json` and `check --baseline FILE`: the model's verdicts of a set of tests as a saved
// history, and what changed since — as the kernel's tools/memory-model/scripts do with
// initlitmushist and cmplitmushist: a verdict that changed, a final state the model now allows
// or no longer allows, a test that appeared or went away. Any of these is a change (exit 1);
// a test whose text changed (its hash) with the same answers is only noted.

import { UserError } from '../errors.ts';
import type { HostInfo } from '../runtime/host.ts';
import { SCHEMA_VERSION } from './results-file.ts';

export interface CheckEntry {
  test: string;
  file: string;
  hash?: string;
  expected?: string;
  /** The model's Observation, or undefined when the test did not load or the model gave up. */
  observation?: string;
  states?: string[];
  error?: string;
  ok: boolean;
  elapsedMs?: number;
}

export interface CheckJson {
  schemaVersion: number;
  kind: 'check';
  model: string;
  date: string;
  host: HostInfo;
  tests: CheckEntry[];
}

export function checkJson(model: string, host: HostInfo, tests: CheckEntry[]): CheckJson {
  return {
    schemaVersion: SCHEMA_VERSION,
    kind: 'check',
    model,
    date: new Date().toISOString(),
    host,
    tests,
  };
}

export function parseBaseline(text: string, file: string): CheckJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`not JSON: ${(e as Error).message} (save one with check --json)`, file);
  }
  const d = data as Partial<CheckJson>;
  if (d.kind !== 'check' || !Array.isArray(d.tests))
    throw new UserError('not a check --json output (no "kind": "check" and "tests")', file);
  return d as CheckJson;
}

export interface Comparison {
  changes: string[];
  notes: string[];
}

export function compareWithBaseline(base: CheckJson, now: CheckJson): Comparison {
  const changes: string[] = [];
  const notes: string[] = [];
  if (base.model !== now.model)
    changes.push(
      `model: the baseline was checked under ${base.model}, this check under ${now.model}`,
    );
  const before = new Map(base.tests.map((t) => [t.test, t]));
  const after = new Map(now.tests.map((t) => [t.test, t]));
  for (const [name, b] of before) {
    const a = after.get(name);
    if (!a) {
      changes.push(`${name}: in the baseline, not checked now`);
      continue;
    }
    const was = b.observation ?? `error (${b.error ?? '?'})`;
    const is = a.observation ?? `error (${a.error ?? '?'})`;
    if (was !== is) changes.push(`${name}: verdict ${was} → ${is}`);
    const bs = new Set(b.states ?? []);
    const as = new Set(a.states ?? []);
    const gained = [...as].filter((s) => !bs.has(s));
    const lost = [...bs].filter((s) => !as.has(s));
    if (gained.length > 0) changes.push(`${name}: now allows ${gained.join(' | ')}`);
    if (lost.length > 0) changes.push(`${name}: no longer allows ${lost.join(' | ')}`);
    if (b.hash && a.hash && b.hash !== a.hash)
      notes.push(`${name}: the test's text changed (hash)`);
  }
  for (const name of after.keys())
    if (!before.has(name)) changes.push(`${name}: new, not in the baseline`);
  return { changes, notes };
}
