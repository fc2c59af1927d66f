// --engine, --engine-flags and `smplab engines` as a user meets them: a missing engine is a
// clear message with how to install it, never a stack; a result names its engine truthfully.
// PATH is emptied to hide the browsers (bun and deno are found in node_modules/.bin).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { bun } from '../../src/engines/bun.ts';
import { absentEngine } from '../engines/presence.ts';
import { resultFiles, smplab, smplabWith } from './smplab.ts';

const NO_PATH = { PATH: '/nonexistent' };

test('smplab engines: every engine, and for a missing one how to get it', async (t) => {
  const r = await smplabWith(NO_PATH, 'engines');
  t.is(r.code, 0);
  t.regex(r.stdout, /^node\s+V8\s+node \d+\.\d+\.\d+\s/m);
  t.regex(r.stdout, /^chromium\s+V8\s+missing\s+-/m);
  t.regex(r.stdout, /^firefox\s+SpiderMonkey\s+missing\s+-/m);
  t.regex(
    r.stdout,
    /To install what is missing:\n(.*\n)*\s+chromium: sudo apt-get install chromium/,
  );
  t.regex(r.stdout, /firefox: sudo apt-get install firefox-esr/);
});

test('a missing engine: exit 2, how to install it, no stack trace', async (t) => {
  const r = await smplabWith(NO_PATH, 'run', 'SB+poonceonces', '--engine', 'firefox');
  t.is(r.code, 2);
  t.regex(r.stderr, /firefox is not installed here\. To get it: sudo apt-get install firefox-esr/);
  t.notRegex(r.stderr, /\n\s+at /);
});

test('an unknown engine names the choices', async (t) => {
  const r = await smplab('run', 'SB+poonceonces', '--engine', 'bunn');
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /unknown engine 'bunn' \(did you mean bun\?\); one of: node, bun, deno, chromium, firefox, all, node-tiers/,
  );
});

test('flags an engine cannot take are a user error', async (t) => {
  const r = await smplab('run', 'SB+poonceonces', '--engine', 'bun', '--engine-flags', 'jitless');
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /bun takes JSC options as --name=value \(e\.g\. --useJIT=false\), not 'jitless'/,
  );
});

test.serial(
  "--engine bun: the result says JavaScriptCore and Bun's version, with the flags",
  async (t) => {
    if (!bun.locate()) return absentEngine(t, bun);
    const r = await smplab(
      'run',
      'SB+poonceonces',
      '--on',
      'hw',
      '--engine',
      'bun',
      '--engine-flags',
      '--useDFGJIT=false',
      '--runs',
      '20000',
      '--json',
    );
    t.is(r.code, 0, r.stderr);
    const [file] = resultFiles(r.results);
    const record = JSON.parse(readFileSync(join(r.results, file!), 'utf8'));
    t.like(record.engine, {
      name: 'bun',
      jsEngine: 'JavaScriptCore',
      flags: ['--useDFGJIT=false'],
    });
    t.regex(record.engine.version, /^\d+\.\d+\.\d+$/);
    t.regex(record.engine.jsVersion, /^WebKit [0-9a-f]{12}$/);
    t.is(record.backends.hw.runs.runs, 20_000);
    t.like(record.backends.hw.runs.host.engine, { name: 'bun', jsEngine: 'JavaScriptCore' });
  },
);

test.serial(
  '--engine all without browsers: a row per engine found, the missing ones named',
  async (t) => {
    const r = await smplabWith(
      NO_PATH,
      'run',
      'SB+fencembonceonces',
      '--engine',
      'all',
      '--runs',
      '20000',
    );
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, /^node hw\s+\d+\.\d+\.\d+\s+V8 /m);
    t.regex(r.stdout, /^node weak\s+\d+\.\d+\.\d+\s+V8 /m);
    if (bun.locate()) t.regex(r.stdout, /^bun hw\s+\d+\.\d+\.\d+\s+JavaScriptCore WebKit /m);
    t.regex(r.stdout, /^chromium: not installed — sudo apt-get install chromium/m);
    t.regex(r.stdout, /^firefox: not installed — sudo apt-get install firefox-esr/m);
    t.regex(r.stdout, /^node hw\s.*\s0\s{2,}/m, 'no state outside lkmm on node hw');
    t.regex(r.stdout, /^node weak\s.*\s0\s{2,}/m, 'no state outside lkmm on node weak');
    // Engines and backends counted apart, and compared within a backend only.
    t.regex(
      r.stdout,
      /^Test SB\+fencembonceonces .* on [1-3] engines? × 2 backends \(hw, weak\)$/m,
    );
    t.regex(r.stdout, /^hw: (one engine ran|seen on some engines only|every engine reached)/m);
    t.regex(r.stdout, /^weak: (one engine ran|seen on some engines only|every engine reached)/m);
    // Each engine's record carries the model's verdict: the report marks witnesses, fills the model column.
    for (const f of resultFiles(r.results)) {
      const record = JSON.parse(readFileSync(join(r.results, f), 'utf8'));
      t.like(record.backends.model, {
        tag: 'ran',
        verdict: { model: 'lkmm', observation: 'Never' },
      });
    }
  },
);

test.serial('--engine all --junit: one testsuite per engine record written', async (t) => {
  const junit = join(mkdtempSync(join(tmpdir(), 'smplab-junit-')), 'engines.xml');
  const r = await smplabWith(
    NO_PATH,
    'run',
    'SB+fencembonceonces',
    '--engine',
    'all',
    '--on',
    'hw',
    '--runs',
    '20000',
    '--junit',
    junit,
  );
  t.is(r.code, 0, r.stderr);
  const xml = readFileSync(junit, 'utf8');
  const suites = xml.match(/<testsuite /g) ?? [];
  t.is(suites.length, resultFiles(r.results).length);
  t.regex(xml, /<testsuites name="smplab" tests="\d+" failures="0"/);
});
