// JUnit XML as CI reads it: what `run --junit`, a scenario's `run --junit` and `check --junit`
// write validates against the common JUnit schema (test/fixtures/junit.xsd, checked with
// libxml2's xmllint compiled to WebAssembly), with one testcase per test or variant and a
// failure exactly where one belongs: a state outside the model, a Result: line the model
// contradicts.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { validateXML } from 'xmllint-wasm';
import type { BackendResult } from '../../src/backends/backend.ts';
import { gradeRun } from '../../src/backends/soundness.ts';
import { planLitmus } from '../../src/lab/plan.ts';
import { litmusRecord } from '../../src/lab/record.ts';
import { addToHistogram, type Histogram } from '../../src/litmus/state.ts';
import { checkModel } from '../../src/model/index.ts';
import { junitOfLitmusRun, junitOfRecord, junitXml } from '../../src/report/junit.ts';
import { normalise, readRecords } from '../../src/report/records.ts';
import { recordJson } from '../../src/report/results-file.ts';
import { runLitmusOnHw } from '../../src/runtime/litmus/run.ts';
import { smplabIn } from '../cli/smplab.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const XSD = readFileSync(join(ROOT, 'test', 'fixtures', 'junit.xsd'), 'utf8');

async function schemaErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [XSD] });
  return r.errors.map((e) => e.rawMessage);
}

/** The smplab CLI's exit code, its results in `dir`. */
const lab = async (dir: string, ...args: string[]) => (await smplabIn(dir, ...args)).code;

const attr = (xml: string, el: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<${el}\\b[^>]*\\b${name}="([^"]*)"`, 'g'))].map((m) => m[1]!);

test('run, a scenario and check write JUnit that validates, one testcase each', async (t) => {
  t.timeout(300_000);
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-junit-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = (n: string) => join(dir, n);

  t.is(await lab(dir, 'run', 'SB+poonceonces', '--runs', '20000', '--junit', file('run.xml')), 0);
  t.is(
    await lab(
      dir,
      'run',
      'refcount',
      '--on',
      'hw',
      '--time',
      '0.2',
      '--junit',
      file('scenario.xml'),
    ),
    0,
  );
  const wrong = file('wrong.litmus');
  writeFileSync(
    wrong,
    readFileSync(join(ROOT, 'scenarios/litmus/SB+poonceonces.litmus'), 'utf8').replace(
      'Result: Sometimes',
      'Result: Never',
    ),
  );
  const check = [join(ROOT, 'scenarios/litmus/MP+poonceonces.litmus'), wrong];
  t.is(await lab(dir, 'check', ...check, '--junit', file('check.xml')), 1);

  const run = readFileSync(file('run.xml'), 'utf8');
  t.deepEqual(await schemaErrors(run), []);
  t.deepEqual(attr(run, 'testcase', 'name'), ['SB+poonceonces']);
  t.notRegex(run, /<failure/);

  const scenario = readFileSync(file('scenario.xml'), 'utf8');
  t.deepEqual(await schemaErrors(scenario), []);
  t.deepEqual(attr(scenario, 'testcase', 'name'), ['plain', 'once', 'atomic']);

  const checked = readFileSync(file('check.xml'), 'utf8');
  t.deepEqual(await schemaErrors(checked), []);
  t.deepEqual(attr(checked, 'testcase', 'name'), ['MP+poonceonces', 'SB+poonceonces']);
  t.deepEqual(attr(checked, 'failure', 'type'), ['verdict-mismatch']);
  t.deepEqual(attr(checked, 'failure', 'message'), [
    'Result: Never in the test, model lkmm says Sometimes',
  ]);
  t.deepEqual(attr(checked, 'testsuite', 'failures'), ['1']);
});

test('a state outside the model is a JUnit failure naming it', async (t) => {
  const { records } = readRecords(fileURLToPath(new URL('../fixtures/results', import.meta.url)));
  const xml = junitXml(records.map(junitOfRecord));
  t.deepEqual(await schemaErrors(xml), []);
  t.deepEqual(attr(xml, 'failure', 'type'), ['outside-model']);
  t.deepEqual(attr(xml, 'failure', 'message'), [
    'hw showed 1 state(s) lkmm forbids: 0:r0=0; 1:r0=0;',
  ]);
  t.deepEqual(attr(xml, 'testsuites', 'failures'), ['1']);
});

test("a run's suite from its values is the suite of its record read back", async (t) => {
  const plan = planLitmus(join(ROOT, 'scenarios/litmus/SB+fencembonceonces.litmus'), {
    on: ['model', 'weak'],
    settings: { model: 'lkmm', modelTimeoutS: 60, runs: 10, seed: 1 },
    engineFlags: [],
  });
  const { test: sb } = plan;
  const histogram: Histogram = new Map();
  addToHistogram(sb, histogram, [1, 1], 7);
  addToHistogram(sb, histogram, [0, 0], 3); // forbidden by lkmm: outside the model
  const runs = await runLitmusOnHw({ test: sb, settings: plan.settings, memory: 'weak' });
  const results: BackendResult[] = [
    { tag: 'ran', backend: 'model', verdict: checkModel(sb, 'lkmm') },
    { tag: 'ran', backend: 'weak', runs: { ...runs, histogram, runs: 10 } },
  ];
  // The test's Result: line contradicted too, so that both kinds of failure are compared.
  const wrong = { ...plan, test: { ...sb, expected: 'Sometimes' as const } };
  const outcome = { results, grading: await gradeRun(sb, results, plan.settings) };
  const record = litmusRecord(wrong, outcome);
  const read = normalise('x.json', JSON.parse(recordJson(record)));
  if (typeof read === 'string') return t.fail(read);
  const fromValues = junitOfLitmusRun({ test: wrong.test, ...outcome }, record);
  t.deepEqual(fromValues, junitOfRecord(read));
  t.deepEqual(
    fromValues.cases[0]!.failures.map((f) => f.type),
    ['verdict-mismatch', 'outside-model'],
  );
  t.regex(fromValues.cases[0]!.out!, /Observation SB\+fencembonceonces Sometimes 3 7 \(weak\)/);
});

test('the schema check can fail: a testcase without a name does not validate', async (t) => {
  const bad = '<testsuites><testsuite name="s" tests="1"><testcase/></testsuite></testsuites>';
  t.true((await schemaErrors(bad)).length > 0);
});

test('a JUnit file that cannot be written is a user error naming it, exit 2', async (t) => {
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-junit-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const notAFolder = join(dir, 'file');
  writeFileSync(notAFolder, '');
  const r = await smplabIn(
    dir,
    'check',
    join(ROOT, 'scenarios/litmus/MP+poonceonces.litmus'),
    '--junit',
    join(notAFolder, 'x.xml'),
  );
  t.is(r.code, 2);
  t.regex(r.stderr, /file\/x\.xml: cannot write: ENOTDIR/);
  t.notRegex(r.stderr, /\n\s+at /);
});
