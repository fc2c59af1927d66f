// A user's mistakes in a program scenario run on the model, as the CLI reports them: one line
// naming the file, line and column (and the line, for a syntax error), exit status 2, no stack
// trace and no result written — code that throws (its own error, a kernel API call given a
// handle the memory lacks, an arbiter), a syntax error in an .mts or .mjs file, an unknown
// --variant (refused before any backend runs), a list given to --model. And --ablate cut
// short (--model-timeout) never says "no ordering call to weaken" of a variant whose calls it
// did not all see.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { type Run, resultFiles, smplab } from './smplab.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const THROWS = fileURLToPath(new URL('../fixtures/scenarios/throws.ts', import.meta.url));

/** Exit 2, one message line (a syntax error adds the line and a caret), no stack, no record. */
function refused(t: ExecutionContext, r: Run, message: RegExp) {
  t.is(r.code, 2, r.stdout + r.stderr);
  t.regex(r.stderr, message);
  t.notRegex(r.stderr, /^\s+at |triggerUncaughtException|node:internal/m);
  t.deepEqual(resultFiles(r.results), []);
}

/** The line of the fixture holding `text`, 1-based. */
const lineOf = (file: string, text: string): number =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

test('a thread body that throws on the model: the error at its line, exit 2', async (t) => {
  const r = await smplab('run', THROWS, '--on', 'model', '--variant', 'own');
  const line = lineOf(THROWS, 'box!.value');
  refused(
    t,
    r,
    new RegExp(
      `^\\S*throws\\.ts:${line}:\\d+: scenario throws, thread reader threw TypeError: Cannot read properties of undefined \\(reading 'value'\\)$`,
      'm',
    ),
  );
});

test('a kernel API call given a handle the memory lacks: the call at its line', async (t) => {
  const r = await smplab('run', THROWS, '--on', 'model', '--variant', 'handle');
  const line = lineOf(THROWS, '.nope)');
  refused(
    t,
    r,
    new RegExp(
      `^\\S*throws\\.ts:${line}:\\d+: scenario throws, thread reader threw TypeError`,
      'm',
    ),
  );
});

test('an arbiter that throws on the model: the error at its line', async (t) => {
  const r = await smplab('run', THROWS, '--on', 'model', '--variant', 'arbiter');
  const line = lineOf(THROWS, "new RangeError('no outcome");
  refused(
    t,
    r,
    new RegExp(
      `^\\S*throws\\.ts:${line}:\\d+: scenario throws, its arbiter threw RangeError: no outcome for this$`,
      'm',
    ),
  );
});

test('a syntax error in a TypeScript or JavaScript scenario: file:line:col and the line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-syntax-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const kernel = join(ROOT, 'src/kernel/index.ts');
  const body = (ext: string) =>
    `import { defineScenario, READ_ONCE } from '${kernel}';\n\nexport default defineScenario({\n  name: 'broken${ext}',\n  threads: { a(_c${ext === 'mts' ? ': unknown' : ''}, m) { return [READ_ONCE(m.x) +]; } },\n});\n`;
  for (const ext of ['mts', 'mjs']) {
    const file = join(dir, `broken.${ext}`);
    writeFileSync(file, body(ext));
    const col = body(ext).split('\n')[4]!.indexOf(']') + 1;
    const r = await smplab('run', file, '--on', 'model');
    refused(t, r, new RegExp(`^\\S*broken\\.${ext}:5:${col}: cannot load scenario: `, 'm'));
    t.regex(r.stderr, /\n {2}.*READ_ONCE\(m\.x\) \+\]; .*\n {2}\s*\^$/m, 'the line, a caret');
  }
});

test('a scenario module that throws or imports what is missing: one line, at the line that threw', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-load-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const top = join(dir, 'top.mts');
  writeFileSync(top, "// a scenario that fails as it loads\nthrow new Error('top-level boom');\n");
  const r = await smplab('run', top, '--on', 'model');
  refused(t, r, /^\S*top\.mts:2:7: cannot load scenario: top-level boom$/m);
  const imports = join(dir, 'imports.mts');
  writeFileSync(imports, "import { nope } from './missing.mts';\nexport default nope;\n");
  const m = await smplab('run', imports, '--on', 'model');
  refused(t, m, /^\S*imports\.mts: cannot load scenario: Cannot find module \S*missing\.mts/m);
  t.is(m.stderr.trim().split('\n').length, 1, m.stderr);
});

test("the model refusing after hw ran: hw's table printed and saved (partial), the refusal, exit 2", async (t) => {
  const CLOCK = fileURLToPath(new URL('../fixtures/scenarios/clock-reader.ts', import.meta.url));
  const r = await smplab('run', CLOCK, '--on', 'hw,model', '--variant', 'date', '--time', '0.2');
  t.is(r.code, 2, r.stdout + r.stderr);
  t.regex(r.stdout, /^Scenario clock-reader/m);
  t.regex(
    r.stderr,
    /clock-reader\.ts:\d+:\d+: scenario clock-reader, thread reader calls Date\.now\(\)/,
  );
  t.notRegex(r.stderr, /^\s+at |node:internal/m);
  const files = resultFiles(r.results);
  t.is(files.length, 1);
  const record = JSON.parse(readFileSync(join(r.results, files[0]!), 'utf8'));
  t.true(record.partial);
  t.deepEqual(Object.keys(record.backends), ['hw']);
});

test('an unknown --variant is refused on the model too, before anything runs', async (t) => {
  for (const on of ['model', 'model,hw']) {
    const r = await smplab('run', 'atomic-bool', '--on', on, '--variant', 'onec');
    refused(
      t,
      r,
      /^scenario atomic-bool has no variant onec \(did you mean once\?\); variants: plain, once, release-acquire, wmb-rmb$/m,
    );
  }
});

test('--ablate cut short by the budget never says a variant has no ordering call to weaken', async (t) => {
  // Every variant of pf-invalidate-race makes ordering calls (locks, smp_mb, smp_wmb): a
  // variant is either ablated (rows, however far each got) or said to be cut short.
  const r = await smplab(
    'run',
    'pf-invalidate-race',
    '--on',
    'model',
    '--ablate',
    '--model-timeout',
    '0.001',
  );
  t.is(r.code, 0, r.stderr);
  t.notRegex(r.stdout, /no ordering call to weaken/i);
  const rows = r.stdout.slice(r.stdout.indexOf('Ablation of'));
  const cut = /^Not ablated \(their own exploration was cut short[^)]*\): (.*)$/m.exec(r.stdout);
  for (const v of ['full-check', 'no-check', 'seq-only', 'no-rmb'])
    t.true(
      new RegExp(`^${v} `, 'm').test(rows) || (cut?.[1]?.split(', ').includes(v) ?? false),
      `${v}:\n${r.stdout}`,
    );
});

test('--model with a list of models says one model a run, for a scenario and for check', async (t) => {
  for (const args of [
    ['run', 'atomic-bool', '--on', 'model'],
    ['check', 'scenarios/litmus/SB+poonceonces.litmus'],
  ]) {
    const r = await smplab(...args, '--model', 'sc,tso,lkmm');
    refused(
      t,
      r,
      /^--model takes one model a run, not 'sc,tso,lkmm': run once per model \(--model sc, --model tso, --model lkmm\)$/m,
    );
  }
});
