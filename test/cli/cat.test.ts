// Models read from files on the command line: --cat (with the files herd7's library ships in
// cat/), check --against, and the mistakes a user can make with these flags — each a message
// and exit 2, no stack trace. The kernel's own files are exercised by test/model/cat/.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { CAT_LIBRARY } from '../../src/model/cat/files.ts';
import { checkModel } from '../../src/model/index.ts';
import { resultFiles, smplab, smplabIn } from './smplab.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SC = join(CAT_LIBRARY, 'sc.cat');
/** The model's budget for a run: the workers may take seconds to start on a busy machine. */
const BUDGET = ['--model-timeout', '600'];

test('check --cat sc.cat --against lkmm lists exactly the corpus tests whose verdict differs, exit 1', async (t) => {
  const dir = join(ROOT, 'scenarios/litmus');
  const moved = readdirSync(dir)
    .filter((f) => f.endsWith('.litmus'))
    .map((f) => loadLitmus(join(dir, f)))
    .filter(
      (x) =>
        checkModel(x, 'lkmm', { search: 'verdict' }).observation !==
        checkModel(x, 'sc', { search: 'verdict' }).observation,
    )
    .map((x) => x.name)
    .sort();
  t.true(moved.length > 0, 'sc forbids some corpus test lkmm allows');
  const r = await smplab('check', 'scenarios/litmus', '--cat', SC, '--against', 'lkmm');
  t.is(r.code, 1);
  const listed = r.stdout
    .split('\n')
    .slice(1)
    .filter((l) => /\S+\s+(Never|Sometimes|Always)\s+(Never|Sometimes|Always)\s*$/.test(l))
    .map((l) => l.split(/\s+/)[0]!)
    .sort();
  t.deepEqual(listed, moved);
  t.regex(
    r.stdout,
    new RegExp(
      `${readdirSync(dir).filter((f) => f.endsWith('.litmus')).length} tests under .*sc\\.cat against lkmm: ${moved.length} verdicts change`,
    ),
  );
});

test('check --against --shard: the two halves list, between them, the changes of the whole', async (t) => {
  const changed = (stdout: string) =>
    stdout
      .split('\n')
      .filter((l) => /\s(Never|Sometimes|Always)\s*$/.test(l))
      .map((l) => l.split(/\s+/).join(' '));
  const args = ['check', 'scenarios/litmus', '--cat', SC, '--against', 'lkmm'];
  const whole = await smplab(...args);
  const halves = [await smplab(...args, '--shard', '1/2'), await smplab(...args, '--shard', '2/2')];
  for (const h of halves) t.regex(h.stdout, /^\(shard [12]\/2 of \d+ tests\)$/m);
  t.deepEqual(halves.flatMap((h) => changed(h.stdout)).sort(), changed(whole.stdout).sort());
  t.true(
    halves.every((h) => changed(h.stdout).length > 0),
    'each half has a change',
  );
});

test('run --cat: the model backend answers under the file, named by it; its JSON names the files', async (t) => {
  const r = await smplab(
    'run',
    'SB+poonceonces',
    '--on',
    'model',
    '--cat',
    SC,
    '--json',
    ...BUDGET,
  );
  t.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  t.is(out.backends.model.verdict.model, 'sc.cat');
  t.is(out.backends.model.verdict.observation, 'Never');
  t.is(out.options.model.cat.cat, SC);
  t.is(resultFiles(r.results).length, 1);
});

test("report draws a cat model's run under that model: its check's name; a page, not a failure, once its file is gone", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-cat-report-'));
  const mine = join(dir, 'mine.cat');
  writeFileSync(
    mine,
    '"mine"\ninclude "cos.cat"\nlet order = po | rf | co | fr\nacyclic order as my-order\n',
  );
  const results = join(dir, 'results');
  const r = await smplabIn(
    results,
    'run',
    'SB+poonceonces',
    '--on',
    'model',
    '--cat',
    mine,
    ...BUDGET,
  );
  t.is(r.code, 0, r.stderr);
  const page = async (out: string) => {
    const report = await smplab('report', results, '-o', out);
    t.is(report.code, 0, report.stderr);
    const file = readdirSync(out).find((f) => f.startsWith('litmus-SB+poonceonces-'));
    return readFileSync(join(out, file!), 'utf8');
  };
  const drawn = await page(join(dir, 'html'));
  t.regex(drawn, /<h2>Execution \(mine\.cat\)<\/h2>/);
  t.regex(drawn, /by which the my-order axiom forbids it/);
  t.regex(drawn, /<div class="graph"><svg/);
  rmSync(mine);
  const gone = await page(join(dir, 'html-gone'));
  t.regex(gone, /<p class="note">No picture: .*mine\.cat/);
});

test('a mistake in a cat file: file:line:col, the line, exit 2, no stack trace', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-cat-'));
  writeFileSync(join(dir, 'bad.cat'), '"bad"\ninclude "cos.cat"\nacyclic po | rff as oops\n');
  const r = await smplab('run', 'SB+poonceonces', '--on', 'model', '--cat', join(dir, 'bad.cat'));
  t.is(r.code, 2);
  t.regex(r.stderr, /bad\.cat:3:14: unbound var: rff\n {2}acyclic po \| rff as oops\n {15}\^/);
  t.notRegex(r.stderr, /\n\s+at /);
  // check: the same mistake on every test is one line saying how many.
  const c = await smplab('check', 'scenarios/litmus', '--cat', join(dir, 'bad.cat'));
  t.regex(c.stdout, /^Errors\n {2}\S*bad\.cat:3:14: unbound var: rff \(\d+ tests\)\n\n/m);
  // A cfg naming a file that is not there: the cfg's line.
  writeFileSync(join(dir, 'x.cfg'), 'model bad.cat\nmacros nothere.def\n');
  const cfg = await smplab('run', 'SB+poonceonces', '--on', 'model', '--conf', join(dir, 'x.cfg'));
  t.is(cfg.code, 2);
  t.regex(cfg.stderr, /x\.cfg:2:8: nothere\.def: not found in .*\n {2}macros nothere\.def\n {9}\^/);
});

test('the model flags refuse what makes no sense', async (t) => {
  const cases: [string[], RegExp][] = [
    [
      ['check', 'scenarios/litmus', '--bell', SC],
      /--bell belongs to a model read from files: give --cat FILE or --conf FILE too/,
    ],
    [
      ['check', 'scenarios/litmus', '--model', 'sc', '--cat', SC],
      /--model chooses a built-in model and --cat\/--conf one read from files/,
    ],
    [
      ['run', 'SB+poonceonces', '--against', 'sc'],
      /--against does not apply to a litmus test: it compares two models' verdicts/,
    ],
    [['check', 'scenarios/litmus', '--cat', 'no-such.cat'], /no-such\.cat: no such cat file/],
    [
      ['check', 'scenarios/litmus', '--conf', SC],
      /sc\.cat:1:1: expected `key value` \(herd7 configuration\)/,
    ],
  ];
  for (const [args, message] of cases) {
    const r = await smplab(...args);
    t.is(r.code, 2, args.join(' '));
    t.regex(r.stderr, message, args.join(' '));
  }
});
