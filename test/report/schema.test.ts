// schema/result.schema.json against what the lab writes: every record a command writes — run of
// a litmus test (hw and model, --ablate), run --on model, compare, run of a program scenario —
// and the fixture folder validate; a record missing what the schema requires does not.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import test from 'ava';
import { SCHEMA_VERSION } from '../../src/report/results-file.ts';
import { smplabIn } from '../cli/smplab.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'schema', 'result.schema.json'), 'utf8'));
// strictRequired off: `anyOf: [{ required: ['backends'] }, { required: ['result'] }]` names
// properties declared beside the anyOf, not inside it.
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(SCHEMA);

const jsonFilesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));

function errorsOf(file: string): string {
  const record = JSON.parse(readFileSync(file, 'utf8'));
  return validate(record) ? '' : `${file}: ${JSON.stringify(validate.errors, null, 1)}`;
}

test('every record the commands write validates against the schema', async (t) => {
  t.timeout(300_000);
  const results = mkdtempSync(join(os.tmpdir(), 'smplab-schema-'));
  t.teardown(() => rmSync(results, { recursive: true, force: true }));
  const lab = async (...args: string[]) => t.is((await smplabIn(results, ...args)).code, 0);
  await lab('run', 'SB+fencembonceonces', '--runs', '20000', '--ablate');
  await lab('run', 'MP+poonceonces', '--on', 'model');
  await lab('compare', 'SB+poonceonces', 'LB+poonceonces', '--runs', '20000');
  await lab('run', 'refcount', '--time', '0.2');
  // The explorer's verdicts with an explanation of a never and of a reachable outcome (their
  // witness, cycle and graph) and an ablation table.
  for (const variant of ['wmb-rmb', 'once'])
    await lab(
      'run',
      'atomic-bool',
      '--on',
      'model',
      '--variant',
      variant,
      '--explain',
      'stale',
      '--ablate',
    );
  const files = jsonFilesIn(results);
  t.is(files.length, 7, files.join('\n'));
  t.is(files.map(errorsOf).join(''), '');
  const kinds = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
  t.true(kinds.every((r) => r.schemaVersion === SCHEMA_VERSION));
  t.deepEqual(kinds.map((r) => r.kind).sort(), [
    'litmus',
    'litmus',
    'litmus',
    'litmus',
    'program',
    'program',
    'program',
  ]);
  const explained = kinds
    .filter((r) => r.options.explain)
    .map((r) => r.backends.model.variants[0].explanation);
  t.deepEqual(explained.map((e) => [e.variant, e.verdict, e.graph.verdict]).sort(), [
    ['once', 'reachable', 'witness'],
    ['wmb-rmb', 'never', 'forbidden'],
  ]);
  // Without its graph, an explanation is not a record's.
  const wmb = kinds.find((r) => r.options.explain && r.options.variants[0] === 'wmb-rmb');
  const broken = structuredClone(wmb);
  delete broken.backends.model.variants[0].explanation.graph;
  t.false(validate(broken));
});

test('the fixture results folders validate (the current shape, and the first one)', (t) => {
  const files = ['results', 'legacy-results'].flatMap((d) =>
    jsonFilesIn(fileURLToPath(new URL(`../fixtures/${d}`, import.meta.url))),
  );
  t.true(files.length >= 6);
  t.is(files.map(errorsOf).join(''), '');
});

test('a record without its hash, or with a negative count, does not validate', (t) => {
  const [file] = jsonFilesIn(
    fileURLToPath(new URL('../fixtures/results/SB+poonceonces', import.meta.url)),
  );
  const good = JSON.parse(readFileSync(file!, 'utf8'));
  t.true(validate(good));
  const { hash: _, ...noHash } = good;
  t.false(validate(noHash));
  const negative = structuredClone(good);
  negative.backends.hw.runs.histogram['0:r0=1; 1:r0=1;'] = { values: [1, 1], count: -1 };
  t.false(validate(negative));
  t.false(validate({ ...good, schemaVersion: SCHEMA_VERSION + 1 }));
});
