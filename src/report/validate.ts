// Validation at the door of every reader of result records (report, merge, serve): a record is
// data from anywhere — another machine, a phone, a hostile page — so it is checked against
// schema/result.schema.json before anything grades or renders it, then for what a schema
// cannot say (a histogram whose counts add up to more than its runs). A record that fails is
// refused with one line saying where and why; nothing here repairs one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from '../package-root.ts';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(
      readFileSync(join(PACKAGE_ROOT, 'schema', 'result.schema.json'), 'utf8'),
    );
    // strictRequired off: `anyOf: [{ required: ['backends'] }, { required: ['result'] }]` names
    // properties declared beside the anyOf, not inside it.
    compiled = new Ajv({ strict: true, strictRequired: false }).compile(schema);
  }
  return compiled;
}

/** Why `raw` is not a valid result record, in one line; undefined when it is one. */
export function recordProblem(raw: unknown): string | undefined {
  const validate = validator();
  if (!validate(raw)) {
    // The deepest error says most: an anyOf also reports each branch it tried (`must be null`).
    const e = [...(validate.errors ?? [])].sort(
      (a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length,
    )[0];
    return `not a valid record (schema/result.schema.json): ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim();
  }
  return countsProblem(raw as Record<string, unknown>);
}

/** A run whose final states add up to more runs than it made. */
function countsProblem(raw: Record<string, unknown>): string | undefined {
  const backends = (raw.backends ?? raw.results ?? {}) as Record<string, unknown>;
  const entries = Object.entries(backends).map(
    ([b, e]) => [b, (e as { runs?: unknown })?.runs] as const,
  );
  for (const b of ['hw', 'weak']) if (raw[b]) entries.push([b, raw[b]]);
  for (const [backend, runs] of entries) {
    const r = runs as { runs?: number; histogram?: Record<string, number | { count: number }> };
    if (!r || typeof r !== 'object' || !r.histogram || typeof r.runs !== 'number') continue;
    const sum = Object.values(r.histogram).reduce<number>(
      (n, x) => n + (typeof x === 'number' ? x : x.count),
      0,
    );
    if (sum > r.runs)
      return `not a valid record: ${backend}'s final states count ${sum} runs, more than its ${r.runs}`;
  }
  return undefined;
}
