// What `smplab run --tune` measures, and for which family it saves the preset. A test whose
// condition lkmm allows is measured as it is: its witnesses are what the knobs should bring out.
// A Never test has no witness to count; what its barriers forbid, its relaxation shows (every
// fence removed, every release/acquire made ONCE, every rmw relaxed: model/explain/ablate.ts),
// so that is measured instead. A family (`run SB --tune`) is every corpus test of the pattern,
// each taken so, the same relaxation counted once: SB+fencembonceonces and SB+poonceonces both
// come down to SB+poonceonces.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { FAMILY_NAMES } from '../gen/families.ts';
import type { Test } from '../litmus/ir.ts';
import { printLitmus } from '../litmus/print.ts';
import { checkModel, relaxation } from '../model/index.ts';
import { familyOf } from './knobs.ts';
import { LITMUS_DIR } from './paths.ts';
import { corpusLitmusNames } from './resolve.ts';

export interface TuneTarget {
  /** What runs: the test, or its relaxation. */
  test: Test;
  /** The test it stands for. */
  of: string;
  relaxed: boolean;
}

/** A test that gives the tuner nothing to count, and why. */
export interface Untunable {
  name: string;
  reason: string;
}

/** `run SB --tune`: a pattern name with no test of that name is its family, when the corpus has one. */
export function familyFiles(word: string): string[] | undefined {
  if (existsSync(join(LITMUS_DIR, `${word}.litmus`))) return undefined;
  const pattern = FAMILY_NAMES.find((p) => p.toLowerCase() === word.toLowerCase());
  if (!pattern) return undefined;
  const names = corpusLitmusNames().filter((n) => familyOf(n) === pattern);
  if (names.length === 0)
    throw new UserError(
      `the corpus has no ${pattern} test to tune on (smplab gen ${pattern} writes one)`,
    );
  return names.map((n) => join(LITMUS_DIR, `${n}.litmus`));
}

/** What to measure for each test, the same relaxation once; the tests that give nothing to count. */
export function tuneTargets(
  tests: readonly Test[],
  timeoutMs: number,
): { targets: TuneTarget[]; untunable: Untunable[] } {
  const targets: TuneTarget[] = [];
  const untunable: Untunable[] = [];
  const seen = new Set<string>();
  for (const test of tests) {
    const t = targetOf(test, timeoutMs);
    if ('reason' in t) {
      untunable.push(t);
      continue;
    }
    // The same threads and condition, whatever the name: one target.
    const key = printLitmus({ ...t.test, name: '', expected: undefined });
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push(t);
  }
  return { targets, untunable };
}

function targetOf(test: Test, timeoutMs: number): TuneTarget | Untunable {
  if (reachable(test, timeoutMs)) return { test, of: test.name, relaxed: false };
  // Its Result: line was about the barriers: the relaxation claims nothing.
  const relaxed = { ...relaxation(test), expected: undefined };
  if (reachable(relaxed, timeoutMs)) return { test: relaxed, of: test.name, relaxed: true };
  return {
    name: test.name,
    reason:
      'lkmm forbids its condition even with every barrier removed (a dependency, a lock or coherence forbids it): no relaxation to measure',
  };
}

function reachable(test: Test, timeoutMs: number): boolean {
  const v = checkModel(test, 'lkmm', { timeoutMs });
  return v.observation !== 'Never';
}
