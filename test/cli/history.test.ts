// Histories of results, as the kernel's memory-model scripts keep them: `check --json` saved as a
// baseline and `check --baseline` listing every change (exit 1 on one, as cmplitmushist does);
// `merge` of result folders from several machines; `report` and `compare` of the merged folder.

import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { smplabIn } from './smplab.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'fixtures', 'results');
const MP = join(ROOT, 'scenarios', 'litmus', 'MP+fencewmbonceonce+fencermbonceonce.litmus');

/** smplab with its results in <cwd>/results. */
const lab = (cwd: string, ...args: string[]) => smplabIn(join(cwd, 'results'), ...args);

const temp = (t: { teardown: (f: () => void) => void }) => {
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-history-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

test('check --baseline: no change exits 0; a barrier removed is a changed verdict, exit 1', async (t) => {
  const dir = temp(t);
  const tests = join(dir, 'tests');
  cpSync(MP, join(tests, 'MP.litmus'));
  cpSync(join(ROOT, 'scenarios', 'litmus', 'SB+poonceonces.litmus'), join(tests, 'SB.litmus'));
  const saved = await lab(dir, 'check', tests, '--json');
  t.is(saved.code, 0, saved.stderr);
  const baseline = join(dir, 'baseline.json');
  writeFileSync(baseline, saved.stdout);
  t.is(JSON.parse(saved.stdout).tests.length, 2);

  const same = await lab(dir, 'check', tests, '--baseline', baseline);
  t.is(same.code, 0, same.stdout);
  t.regex(same.stdout, /No change against the baseline/);

  // Without smp_rmb() (and without its Result: line, so that only the baseline can object).
  const text = readFileSync(MP, 'utf8')
    .replace('\tsmp_rmb();\n', '')
    .replace(' * Result: Never\n', '');
  writeFileSync(join(tests, 'MP.litmus'), text);
  const changed = await lab(dir, 'check', tests, '--baseline', baseline);
  t.is(changed.code, 1, changed.stdout + changed.stderr);
  const listed = changed.stdout.slice(changed.stdout.indexOf('change(s) against')).split('\n');
  t.deepEqual(
    listed.slice(1).filter((l) => l.trim() !== ''),
    [
      '  MP+fencewmbonceonce+fencermbonceonce: verdict Never → Sometimes',
      '  MP+fencewmbonceonce+fencermbonceonce: now allows 1:r0=1; 1:r1=0;',
      "  (note) MP+fencewmbonceonce+fencermbonceonce: the test's text changed (hash)",
    ],
  );
});

test('check --baseline with a file that is not a check output exits 2 with the reason', async (t) => {
  const dir = temp(t);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"tests": 3}');
  const r = await lab(dir, 'check', MP, '--baseline', bad);
  t.is(r.code, 2);
  t.regex(r.stderr, /bad\.json: not a check --json output/);
  t.notRegex(r.stderr, /\n\s+at /);
});

test("merge: two machines' folders into one, duplicates once; report reads it", async (t) => {
  const dir = temp(t);
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  cpSync(FIXTURE, a, { recursive: true });
  // Machine b holds a copy of one of a's runs (already merged once) and a run of its own.
  cpSync(join(FIXTURE, 'SB+poonceonces'), join(b, 'SB+poonceonces'), { recursive: true });
  const [sb] = readdirSync(join(b, 'SB+poonceonces'));
  const own = JSON.parse(readFileSync(join(b, 'SB+poonceonces', sb!), 'utf8'));
  own.host = { ...own.host, cpuModel: 'Other CPU', cores: 8 };
  writeFileSync(join(b, 'SB+poonceonces', sb!.replace('.json', '-b.json')), JSON.stringify(own));

  const out = join(dir, 'merged');
  const merged = await lab(dir, 'merge', a, b, '-o', out);
  t.is(merged.code, 0, merged.stderr);
  t.regex(merged.stdout, /^6 runs merged into .* from 2 folders, 1 duplicates left out$/m);
  t.is(readdirSync(join(out, 'SB+poonceonces')).length, 2);

  const again = await lab(dir, 'merge', b, '-o', out);
  t.regex(again.stdout, /^0 runs merged .* 2 duplicates left out$/m);

  const report = await lab(dir, 'report', out, '-o', join(dir, 'html'));
  t.is(report.code, 0, report.stderr);
  t.regex(report.stdout, /^6 runs, 4 pages: /m);
  t.true(existsSync(join(dir, 'html', 'litmus-SB+poonceonces.html')));
  const index = readFileSync(join(dir, 'html', 'index.html'), 'utf8');
  t.regex(index, /x64 Other CPU 8 CPUs/);

  // compare reads it too: SB+poonceonces on both machines, and the ARM board's forbidden state.
  const compared = await lab(dir, 'compare', out);
  t.is(compared.code, 1, 'a state outside the model in the folder');
  const sbLines = compared.stdout.slice(compared.stdout.indexOf('Test SB+poonceonces'));
  t.regex(sbLines, /^x64 AMD EPYC 2 CPUs +node [\d.]+ +hw /m);
  t.regex(sbLines, /^x64 Other CPU 8 CPUs +node [\d.]+ +hw /m);
  t.regex(compared.stdout, /^arm64 Fixture ARM board 4 CPUs .* FORBIDDEN: 0:r0=0; 1:r0=0;$/m);
});
