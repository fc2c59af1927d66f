// The adversarial tests' small scenarios: a few threads, an arbiter naming the outcome from
// their results, every outcome acceptable and a stall expected (the deadlock tests want one),
// explored one variant under one model; and the text report of such variants.

import { exploreVariant, type VariantVerdict } from '../../src/explore/scenario.ts';
import { variantResult } from '../../src/explore/scenario-result.ts';
import { defineScenario, type MemoryOf, type MemorySpec } from '../../src/kernel/index.ts';
import { MODELS, type ModelName } from '../../src/model/core/base.ts';
import { formatScenarioModelResult } from '../../src/report/scenario-model-text.ts';

type Body = (cpu: never, m: never, variant: string) => unknown;

export { MODELS };

/** `variants`: their names (each described by its name; the threads get it), `v` by default. */
export function scenario<const M extends MemorySpec>(
  name: string,
  memory: M,
  threads: Record<string, (cpu: unknown, m: MemoryOf<M>, variant: string) => unknown>,
  arbiter: (r: Record<string, readonly number[]>) => string,
  outcomes: string[],
  variants: string[] = ['v'],
) {
  return defineScenario({
    name,
    description: name,
    kind: 'iterations',
    memory,
    variants: Object.fromEntries(
      variants.map((v) => [v, { description: v, stall: 'expected' as const }]),
    ),
    threads: threads as Record<string, Body>,
    arbiter: (_m: unknown, r: Record<string, readonly number[]>) => arbiter(r),
    outcomes: Object.fromEntries(outcomes.map((o) => [o, 'acceptable'])),
  } as never);
}

export type TinyScenario = ReturnType<typeof scenario>;

export const explore = (s: TinyScenario, model: ModelName, variant = 'v'): VariantVerdict =>
  exploreVariant(s, variant, { model, timeoutMs: 60_000 });

/** How many executions reached `outcome`; an outcome the scenario does not have is the test's mistake, said as such. */
export function executions(v: VariantVerdict, outcome: string): number {
  const o = v.outcomes.find((x) => x.outcome === outcome);
  if (o === undefined)
    throw new Error(`no outcome "${outcome}" (${v.outcomes.map((x) => x.outcome).join(', ')})`);
  return o.executions;
}

/** The text report of `variants` of `s` explored under `model`. */
export function modelText(s: TinyScenario, model: ModelName, variants: string[]): string {
  return formatScenarioModelResult({
    scenario: s.name,
    description: s.description,
    file: `${s.name}.ts`,
    hash: '0',
    backend: 'model',
    model,
    instance: 'as written',
    loopBound: 3,
    date: '2026-12-07',
    variants: variants.map((v) => variantResult(s, explore(s, model, v))),
    failures: [],
    notes: [],
  });
}
