// Histories of results, as the kernel's memory-model scripts keep them: `check --json` saved as a
// baseline and `check --baseline` listing every change (exit 1 on one, as cmplitmushist does);
// `merge` of result folders from several machines; `report` and `compare` of the merged folder.

import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
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
  t.regex(
    merged.stdout,
    /^8 runs merged into .* from 2 folders, 1 duplicates \(the same content\) left out$/m,
  );
  t.is(readdirSync(join(out, 'SB+poonceonces')).length, 2);

  const again = await lab(dir, 'merge', b, '-o', out);
  t.regex(again.stdout, /^0 runs merged .* 2 duplicates \(the same content\) left out$/m);

  const report = await lab(dir, 'report', out, '-o', join(dir, 'html'));
  t.is(report.code, 0, report.stderr);
  t.regex(report.stdout, /^8 runs, 6 pages: /m);
  t.true(
    readdirSync(join(dir, 'html')).some((f) =>
      /^litmus-SB\+poonceonces-[0-9a-f]{8}\.html$/.test(f),
    ),
  );
  const sbPage = readdirSync(join(dir, 'html')).find((f) =>
    f.startsWith('litmus-SB+poonceonces-'),
  )!;
  t.regex(readFileSync(join(dir, 'html', sbPage), 'utf8'), /x64 Other CPU 8 CPUs/);

  // compare reads it too: SB+poonceonces on both machines, and the ARM board's forbidden state.
  const compared = await lab(dir, 'compare', out);
  t.is(compared.code, 1, 'a state outside the model in the folder');
  const sbLines = compared.stdout.slice(compared.stdout.indexOf('Test SB+poonceonces'));
  t.regex(sbLines, /^x64 AMD EPYC 2 CPUs +node [\d.]+ +hw /m);
  t.regex(sbLines, /^x64 Other CPU 8 CPUs +node [\d.]+ +hw /m);
  t.regex(compared.stdout, /^arm64 Fixture ARM board 4 CPUs .* FORBIDDEN: 0:r0=0; 1:r0=0;$/m);
});

test('merge: distinct records that share test, hash, host, engine and date are all kept; what is not a record is copied; what cannot be copied fails', async (t) => {
  const dir = temp(t);
  const a = join(dir, 'a');
  const [sb] = readdirSync(join(FIXTURE, 'SB+poonceonces'));
  const record = JSON.parse(readFileSync(join(FIXTURE, 'SB+poonceonces', sb!), 'utf8'));
  mkdirSync(join(a, 'SB+poonceonces'), { recursive: true });
  for (let i = 0; i < 4; i++) {
    const r = structuredClone(record);
    r.backends.hw.runs.elapsedMs = 100 + i;
    writeFileSync(join(a, 'SB+poonceonces', `run-${i}.json`), JSON.stringify(r));
  }
  mkdirSync(join(a, 'bench'));
  writeFileSync(join(a, 'bench', 'hw-sb.json'), '{"bench": "hw-sb"}');
  writeFileSync(join(a, 'NOTES.txt'), 'the board was hot\n');
  const out = join(dir, 'merged');
  const merged = await lab(dir, 'merge', a, '-o', out);
  t.is(merged.code, 0, merged.stdout + merged.stderr);
  t.regex(merged.stdout, /^4 runs merged into .* 0 duplicates/m);
  t.regex(merged.stdout, /^2 other files copied as they are .*NOTES\.txt/m);
  t.is(readFileSync(join(out, 'NOTES.txt'), 'utf8'), 'the board was hot\n');
  t.true(existsSync(join(out, 'bench', 'hw-sb.json')));

  const b = join(dir, 'b');
  mkdirSync(b);
  await new Promise<void>((resolve, reject) =>
    execFile('mkfifo', [join(b, 'pipe.json')], (e) => (e ? reject(e) : resolve())),
  );
  const failed = await lab(dir, 'merge', b, '-o', join(dir, 'merged2'));
  t.is(failed.code, 1);
  t.regex(failed.stdout, /^not copied: .*pipe\.json: not a regular file \(a FIFO\)$/m);
  t.regex(failed.stdout, /^merge incomplete: 1 files could not be copied$/m);

  // A bad input is named, not the folder merged into.
  const notFolder = await lab(dir, 'merge', join(a, 'NOTES.txt'), '-o', join(dir, 'merged3'));
  t.is(notFolder.code, 2);
  t.regex(notFolder.stderr, /NOTES\.txt: cannot read: ENOTDIR/);
  t.notRegex(notFolder.stderr, /merged3/);
});
