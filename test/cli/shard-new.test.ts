// CI sharding and a new scenario from the command line: `check --shard I/N` and
// `run --shard I/N` take disjoint parts of a corpus that together are all of it, the same on
// every machine; `new scenario NAME` writes a commented file that runs and type-checks, and
// never over an existing one without --force.

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { parseShard, shardOf } from '../../src/lab/shard.ts';
import { resultFiles, smplab, smplabIn } from './smplab.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

test('shards are contiguous, near equal, disjoint slices of the sorted corpus', (t) => {
  const items = Array.from({ length: 10 }, (_, i) => `t${String(9 - i).padStart(2, '0')}`);
  const parts = [1, 2, 3].map((index) => shardOf(items, (x) => x, { index, count: 3 }));
  t.deepEqual(parts, [
    ['t00', 't01', 't02'],
    ['t03', 't04', 't05'],
    ['t06', 't07', 't08', 't09'],
  ]);
  t.deepEqual(
    shardOf(items, (x) => x, { index: 1, count: 12 }),
    [],
  );
  t.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
  for (const bad of ['0/3', '4/3', '2', 'a/b', '1/0'])
    t.throws(() => parseShard(bad), { message: /--shard takes i\/n with 1 <= i <= n/ });
});

const tableTests = (stdout: string): string[] =>
  stdout
    .split('\n')
    .slice(1)
    .filter((l) => /\s(ok|MISMATCH|ERROR)$/.test(l))
    .map((l) => l.split(/\s+/)[0]!);

test('check --shard: three parts, disjoint, together the whole corpus', async (t) => {
  const whole = await smplab('check', 'scenarios/litmus');
  const parts = await Promise.all(
    [1, 2, 3].map((i) => smplab('check', 'scenarios/litmus', '--shard', `${i}/3`)),
  );
  const names = parts.map((p) => tableTests(p.stdout));
  t.true(names.every((n) => n.length >= 11));
  t.deepEqual([...names.flat()].sort(), tableTests(whole.stdout).sort());
  t.is(new Set(names.flat()).size, names.flat().length, 'no test in two parts');
  t.regex(parts[1]!.stdout, /^\(shard 2\/3 of \d+ tests\)$/m);
});

test('run --shard: its part of the corpus, each test saving its record', async (t) => {
  const results = mkdtempSync(join(os.tmpdir(), 'smplab-shard-'));
  t.teardown(() => rmSync(results, { recursive: true, force: true }));
  const r = await smplabIn(results, 'run', 'scenarios/litmus', '--shard', '7/12', '--on', 'model');
  t.is(r.code, 0, r.stderr);
  const ran = [...r.stdout.matchAll(/^Test (\S+) \w+$/gm)].map((m) => m[1]);
  t.is(ran.length, 3);
  t.regex(r.stdout, /^3 of 3 tests run \(shard 7\/12 of \d+ tests\)$/m);
  t.is(resultFiles(results).length, 3);
  const junit = await smplabIn(
    results,
    'run',
    'scenarios/litmus',
    '--shard',
    '1/12',
    '--junit',
    'x.xml',
  );
  t.is(junit.code, 2);
  t.regex(junit.stderr, /--junit writes one file for one test/);
});

test('--shard on one test: one shard runs it, the other says it has none of the 1 test', async (t) => {
  const ran = [1, 2].map((i) =>
    smplab('run', 'SB+poonceonces', '--shard', `${i}/2`, '--on', 'model'),
  );
  const checked = [1, 2].map((i) =>
    smplab('check', 'scenarios/litmus/SB+poonceonces.litmus', '--shard', `${i}/2`),
  );
  const [run1, run2, check1, check2] = await Promise.all([...ran, ...checked]);
  const none =
    /^shard 1\/2 has none of the 1 test named \(fewer tests than shards: another shard has it\)$/m;
  for (const empty of [run1!, check1!]) {
    t.is(empty.code, 0, empty.stderr);
    t.regex(empty.stdout, none);
    t.notRegex(empty.stdout, /\b0 of 0\b|^test /m);
  }
  t.regex(run2!.stdout, /^Test SB\+poonceonces Allowed$/m);
  t.regex(run2!.stdout, /^1 of 1 test run \(shard 2\/2 of 1 test\)$/m);
  t.regex(check2!.stdout, /^SB\+poonceonces +Sometimes +Sometimes .* ok$/m);
  t.regex(check2!.stdout, /^\(shard 2\/2 of 1 test\)$/m);
});

test('new scenario NAME: a commented file that runs and type-checks; no overwrite', async (t) => {
  t.timeout(180_000);
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-new-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const made = await smplab('new', 'scenario', 'publish-race', '-o', dir);
  t.is(made.code, 0, made.stderr);
  // No package.json says "type": "module" above a temporary folder: an .mts file.
  const file = join(dir, 'publish-race.mts');
  t.true(existsSync(file));
  const text = readFileSync(file, 'utf8');
  t.regex(text, /from 'smplab';/);
  t.regex(text, /\/\/ 'iterations': many fresh copies of the memory raced/);

  const again = await smplab('new', 'scenario', 'publish-race', '-o', dir);
  t.is(again.code, 2);
  t.regex(again.stderr, /exists already: nothing written \(--force overwrites it\)/);
  t.is((await smplab('new', 'scenario', 'Publish_Race', '-o', dir)).code, 2);
  t.is((await smplab('new', 'thing', 'x')).code, 2);

  // It type-checks against the kernel API ('smplab': this checkout's sources).
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        module: 'nodenext',
        allowImportingTsExtensions: true,
        skipLibCheck: true,
        paths: { smplab: [join(ROOT, 'src', 'kernel', 'index.ts')] },
        typeRoots: [join(ROOT, 'node_modules', '@types')],
        types: ['node'],
      },
      files: [file],
    }),
  );
  await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir]);
  // Run as a user runs it: the smplab command (in a checkout, its build resolves 'smplab').
  const ran = await run(
    process.execPath,
    [join(ROOT, 'bin', 'smplab.js'), 'run', file, '--time', '0.3'],
    {
      cwd: dir,
      env: { ...process.env, SMPLAB_RESULTS_DIR: join(dir, 'results') },
      timeout: 120_000,
    },
  );
  t.regex(ran.stdout, /^Scenario publish-race /m);
  t.regex(ran.stdout, /^flag seen, data stale +[\d,]+ interesting +0 forbidden$/m);
  t.notRegex(ran.stdout, /FAILURE/);
});
