// The report reads records from anywhere, so every field is data: a record whose strings carry
// markup is rendered with all of it escaped (no element, no attribute from a record), a record
// with a string where a count or a grade belongs is refused by the schema with a line, and one
// malformed record (a variant without outcomes, an ablation row without newlyAllowed) is skipped
// while the others are drawn. A FIFO named *.json, a symlink loop and a 13.7 MB record with
// 200,000 states are refused or drawn within bounds; SIGTERM stops the report, and Ctrl-C stops
// it while it draws the huge record (the report runs on a worker thread: lab/report-worker.ts).

import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { MAX_BARS } from '../../src/report/html/bars.ts';
import { writeSite } from '../../src/report/html/site.ts';
import { readRecords } from '../../src/report/records.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = join(ROOT, 'test', 'fixtures', 'results');
const fixture = (dir: string) => {
  const d = join(FIXTURE, dir);
  return JSON.parse(readFileSync(join(d, readdirSync(d).sort()[0]!), 'utf8'));
};
const HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

const tmp = () => {
  const d = mkdtempSync(join(os.tmpdir(), 'smplab-hostile-'));
  return d;
};

/** Fields whose values the schema pins (enums, patterns): the rest get `text` appended. */
const PINNED = new Set([
  'schemaVersion',
  'kind',
  'date',
  'hash',
  'tag',
  'observation',
  'expected',
  'model',
  'grade',
  'stallGrade',
  'memory',
]);

/** Every free string of `v`, and every final-state key, with `text` appended. */
function poison(v: unknown, text: string, key = ''): unknown {
  if (typeof v === 'string') return PINNED.has(key) ? v : `${v}${text}`;
  if (Array.isArray(v)) return v.map((x) => poison(x, text));
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k.includes(':') ? `${k}${text}` : k, poison(x, text, k)]),
    );
  return v;
}

function write(dir: string, name: string, record: unknown): void {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, `${name}.json`), JSON.stringify(record));
}

test('markup in every string of a record is escaped on every page', async (t) => {
  const dir = tmp();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  write(dir, 'sb', poison(fixture('SB+fencembonceonces'), HOSTILE));
  write(dir, 'refcount', poison(fixture('refcount'), HOSTILE));
  write(dir, 'atomic-bool', poison(fixture('atomic-bool'), HOSTILE));
  const read = readRecords(dir);
  t.deepEqual(read.skipped, []);
  t.is(read.records.length, 3);
  const out = join(dir, 'html');
  const site = await writeSite(read, out, { log: false });
  t.deepEqual(site.failed, []);
  t.is(site.written.length, 4);
  for (const file of site.written) {
    const html = readFileSync(join(out, file), 'utf8');
    t.notRegex(html, /<script|<img/i, file);
    t.regex(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, `${file} shows the text`);
  }
});

test('strings where counts and grades belong are refused, with a line each', (t) => {
  const dir = tmp();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const litmus = fixture('SB+fencembonceonces');
  const ablation = structuredClone(litmus);
  ablation.ablation[0].runs = { hw: { runs: '<script>', witnesses: 1 } };
  write(dir, 'ablation-runs', ablation);
  const count = structuredClone(litmus);
  count.backends.hw.runs.histogram['0:r0=0; 1:r0=1;'].count = '<b>1</b>';
  write(dir, 'count', count);
  const grade = fixture('refcount');
  grade.backends.hw.variants[0].outcomes[0].grade = 'x" onmouseover="alert(1)';
  write(dir, 'grade', grade);
  const above = structuredClone(litmus);
  above.backends.hw.runs.runs = 10;
  write(dir, 'above', above);
  const noOutcomes = fixture('refcount');
  delete noOutcomes.backends.hw.variants[1].outcomes;
  write(dir, 'no-outcomes', noOutcomes);
  const noNewly = structuredClone(litmus);
  delete noNewly.ablation[2].newlyAllowed;
  write(dir, 'no-newly', noNewly);
  write(dir, 'good', litmus);

  const read = readRecords(dir);
  t.deepEqual(
    read.records.map((r) => r.path),
    [join('good', 'good.json')],
  );
  const why = Object.fromEntries(read.skipped.map((s) => [s.path.split('/')[0], s.reason]));
  t.regex(
    why['ablation-runs']!,
    /^not a valid record .*\/ablation\/0\/runs\/hw\/runs must be integer/,
  );
  t.regex(
    why.count!,
    /histogram\/0:r0=0; 1:r0=1;\/count must be integer|must match a schema in anyOf/,
  );
  t.regex(
    why.grade!,
    /\/variants\/0\/outcomes\/0\/grade must be equal to one of the allowed values/,
  );
  t.regex(
    why.above!,
    /hw's final states count 400003 runs, more than its 10|count \d+ runs, more than its 10/,
  );
  t.regex(why['no-outcomes']!, /\/variants\/1 must have required property 'outcomes'/);
  t.regex(why['no-newly']!, /\/ablation\/2 must have required property 'newlyAllowed'/);
});

/** SB+poonceonces with 200,000 states on hw, one run each (10.8 MB). */
function bigRecord() {
  const big = fixture('SB+poonceonces');
  const histogram: Record<string, { values: number[]; count: number }> = {};
  for (let i = 0; i < 200_000; i++)
    histogram[`0:r0=${i}; 1:r0=${i % 7};`] = { values: [i, i % 7], count: 1 };
  big.backends.hw.runs.histogram = histogram;
  big.backends.hw.runs.runs = 200_000;
  return big;
}

/** `smplab report dir`, from the sources, its stdout gathered. */
function report(dir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'report', dir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out.stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    out.stderr += d;
  });
  const exit = new Promise<number | null>((r) => child.on('close', r));
  return { child, out, exit };
}

/** Waits (up to 2 minutes) until `ready` holds; false if it never did. */
async function waitFor(ready: () => boolean): Promise<boolean> {
  for (let waited = 0; waited < 120_000; waited += 50) {
    if (ready()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const listed = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

test('a FIFO, a symlink loop and a 200,000-state record: refused or drawn within bounds', async (t) => {
  t.timeout(180_000);
  const dir = tmp();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'fifo'));
  await new Promise<void>((resolve, reject) =>
    execFile('mkfifo', [join(dir, 'fifo', 'x.json')], (e) => (e ? reject(e) : resolve())),
  );
  mkdirSync(join(dir, 'loop'));
  symlinkSync(join(dir, 'loop'), join(dir, 'loop', 'again'));
  symlinkSync('nowhere', join(dir, 'loop', 'self.json'));
  write(dir, 'big', bigRecord());
  t.true(readFileSync(join(dir, 'big', 'big.json')).length > 8 << 20, 'the record is big');

  const read = readRecords(dir);
  const skipped = Object.fromEntries(read.skipped.map((s) => [s.path, s.reason]));
  t.is(skipped[join('fifo', 'x.json')], 'not a regular file (a FIFO)');
  t.is(skipped[join('loop', 'again')], 'a link to a folder already read');
  t.regex(skipped[join('loop', 'self.json')]!, /unreadable \(ENOENT\)/);
  t.is(read.records.length, 1);
  const out = join(dir, 'html');
  const site = await writeSite(read, out, { log: false });
  const page = readFileSync(join(out, site.written[1]!), 'utf8');
  t.is(page.match(/<rect class="bar/g)?.length, MAX_BARS);
  t.regex(page, /199,936 more states \(199,936 runs in all\) are not drawn/);
  t.regex(page, /hw showed 199,?998 state\(s\) lkmm, tso forbids: .* \| … and 199,?988 more/);
  t.true(page.length < 1 << 20, `${page.length} bytes`);
});

test('SIGTERM stops smplab report on a large folder, and it says so', async (t) => {
  t.timeout(180_000);
  const dir = tmp();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const sb = fixture('SB+poonceonces');
  for (let i = 0; i < 400; i++)
    write(dir, `t${i}`, { ...sb, test: `SB${i}`, hash: `${i}`.padStart(16, 'a') });
  const { child, out: said, exit } = report(dir);
  // Once it has read the folder and drawn a page (the first page's file exists), stop it.
  const out = join(dir, 'html');
  await waitFor(() => listed(out).some((f) => f.startsWith('litmus-')));
  child.kill('SIGTERM');
  const code = await exit;
  const pages = readdirSync(out).length;
  if (code === 0) {
    t.log(`the report finished before the signal (${pages} files)`);
    t.pass();
    return;
  }
  t.is(code, 143);
  t.true(pages < 401, `${pages} files`);
  // Stopped between two pages, as a page of one small record takes milliseconds; on a machine
  // too busy for that within the grace, abandoned with what was written named.
  if (/interrupted while drawing: [\d,]+ pages? written/.test(said.stdout)) return;
  t.regex(said.stdout, /interrupted: the index lists the pages written so far/);
  t.regex(
    readFileSync(join(out, 'index.html'), 'utf8'),
    /Interrupted: the pages of the tests not linked above were not written/,
  );
});

test('Ctrl-C while the report draws one 200,000-state record: exit 130, saying what was written', async (t) => {
  t.timeout(180_000);
  const dir = tmp();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  write(dir, 'big', bigRecord());
  const { child, out: said, exit } = report(dir);
  // The html folder is made once the records are read: the record is being graded and drawn.
  const out = join(dir, 'html');
  t.true(await waitFor(() => existsSync(out)), 'the records were read');
  child.kill('SIGINT');
  t.is(await exit, 130, said.stderr);
  t.regex(said.stderr, /^Interrupted: stopping/m);
  t.notRegex(said.stderr, /\bat .*\.ts:\d+/, 'no stack trace');
  // Abandoned mid-page (a step of seconds under load), stopped after it, or, on a quiet
  // machine, done before the stop reached the worker: each says what was written.
  t.regex(
    said.stdout,
    /^(interrupted while drawing: 0 pages written to .*html; index\.html was not rewritten|interrupted: the index lists the pages written so far|1 runs, 1 pages: .*index\.html)/m,
  );
});
