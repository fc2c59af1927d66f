// The knobs and --tune as a user meets them (issue 19): every knob on the command line reaches
// the run and its JSON record, on hw and on weak; a preset of this machine is used by later runs
// of its family and named, set aside by --untuned, and a knob given wins over it; --tune prints
// its table, then saves the best as this machine's preset (or says why not) and a later run uses
// it; a family tunes on each of its tests, a Never one by its relaxation. Nothing here depends
// on how often the machine shows a witness: where that decides (saved or not), both are checked.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { machineKey, type Preset } from '../../src/lab/presets.ts';
import { hostInfo } from '../../src/runtime/host.ts';
import { DEFAULT_KNOBS, type Knobs } from '../../src/runtime/litmus/knobs.ts';
import { freshConfig, type Run, smplabWith } from './smplab.ts';

const KNOB_ARGS = [
  ['--start', 'timebase'],
  ['--delay', '24'],
  ['--meet', '3'],
  ['--pad', '2'],
  ['--stride', '64'],
  ['--order', 'reversed'],
  ['--size', '5000'],
  ['--placement', 'os'],
  ['--stress', '1'],
].flat();
const GIVEN: Knobs = {
  start: 'timebase',
  delay: 24,
  meet: 3,
  pad: 2,
  stride: 64,
  order: 'reversed',
  size: 5_000,
  placement: 'os',
  stress: 1,
};

/** Every knob held on the command line (no stress worker) but `free`, which --tune varies alone. */
function holdingAllBut(free?: keyof Knobs): string[] {
  const out: string[] = [];
  for (let i = 0; i < KNOB_ARGS.length; i += 2)
    if (KNOB_ARGS[i] !== `--${free}` && KNOB_ARGS[i] !== '--stress')
      out.push(KNOB_ARGS[i]!, KNOB_ARGS[i + 1]!);
  return [...out, '--stress', '0'];
}

const recordOf = (r: Run) => JSON.parse(r.stdout);

test('every knob on the command line reaches the run and its record, on hw and weak', async (t) => {
  for (const on of ['hw', 'weak']) {
    const r = await smplabWith(
      {},
      'run',
      'SB+poonceonces',
      '--on',
      on,
      '--runs',
      '20000',
      ...KNOB_ARGS,
      '--json',
    );
    t.is(r.code, 0, r.stderr);
    const record = recordOf(r);
    t.deepEqual(record.backends[on].runs.knobs, GIVEN, on);
    t.deepEqual(record.options.knobsFrom.given.sort(), Object.keys(GIVEN).sort());
    for (const [k, v] of Object.entries(GIVEN)) t.is(record.options[k], v, `options.${k}`);
  }
  const text = await smplabWith({}, 'run', 'SB+poonceonces', '--runs', '20000', ...KNOB_ARGS);
  t.is(text.code, 0, text.stderr);
  t.regex(
    text.stdout,
    /hw .*start timebase, delay 24, meet 3, pad 2, stride 64, order reversed, stress 1/,
    'the hw line names the knobs that differ from the defaults',
  );
  t.regex(
    text.stdout,
    /knobs: .*; given: start, delay, meet, pad, stride, order, size, placement, stress/,
  );
});

test("this machine's preset for a family: used by its tests and named, --untuned and given knobs win", async (t) => {
  const config = freshConfig();
  const knobs: Knobs = { ...DEFAULT_KNOBS, start: 'flag', delay: 40, stride: 16 };
  const preset: Preset = {
    machine: machineKey(hostInfo()),
    family: 'SB',
    knobs,
    tests: ['SB+poonceonces'],
    tunedAt: '2026-12-06T17:00:00.000Z',
    score: { runs: 1_000_000, witnesses: 38_000, seconds: 0.3 },
  };
  writeFileSync(
    join(config, 'presets.json'),
    JSON.stringify({ schemaVersion: 1, presets: [preset] }),
  );
  const env = { SMPLAB_CONFIG_DIR: config };
  const run = (...args: string[]) => smplabWith(env, 'run', '--runs', '20000', ...args);

  const used = await run('SB+fencembonceonces', '--json');
  t.is(used.code, 0, used.stderr);
  const record = recordOf(used);
  t.like(record.backends.hw.runs.knobs, knobs, 'a test of the family runs with the preset');
  t.is(record.options.knobsFrom.preset.family, 'SB');
  t.is(record.options.knobsFrom.preset.file, join(config, 'presets.json'));

  const text = await run('SB+poonceonces');
  t.regex(text.stdout, /knobs: tuned preset for SB, 2026-12-06 17:00 \(.*presets\.json; --untuned/);
  t.regex(text.stdout, /hw .*start flag, delay 40, stride 16/);

  const untuned = recordOf(await run('SB+poonceonces', '--untuned', '--json'));
  t.is(untuned.options.knobsFrom.preset, undefined);
  t.not(untuned.backends.hw.runs.knobs.start, 'flag');

  const given = recordOf(await run('SB+poonceonces', '--stride', '0', '--json'));
  t.like(given.backends.hw.runs.knobs, { start: 'flag', delay: 40, stride: 0 });
  t.deepEqual(given.options.knobsFrom.given, ['stride']);

  const other = recordOf(await run('MP+poonceonces', '--json'));
  t.is(other.options.knobsFrom.preset, undefined, "SB's preset is not MP's");
});

test('--tune prints its table, saves the best as the preset (or says why not), and a later run uses it', async (t) => {
  const config = freshConfig();
  const env = { SMPLAB_CONFIG_DIR: config };
  const r = await smplabWith(
    env,
    'run',
    'SB+poonceonces',
    '--tune',
    '--time',
    '1',
    ...holdingAllBut('order'),
  );
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  t.regex(
    lines[0]!,
    /#\s+start\s+delay\s+meet\s+pad\s+stride\s+order.*runs\/s\s+witnesses\s+rate\s+witnesses\/s/,
  );
  t.regex(lines[1]!, /^\s+1\s+timebase\s+24\s+3\s+2\s+64\s+declared\s/, 'the starting knobs first');
  t.regex(
    lines[2]!,
    /^\s+2\s+timebase\s+24\s+3\s+2\s+64\s+reversed\s/,
    'then the one knob left free',
  );
  t.regex(
    r.stdout,
    /Tuned SB on hw \(.+, \d+ CPUs, node .+\): (2|4) trials in \d+ s \(budget 1 s\)/,
  );
  const file = join(config, 'presets.json');
  const saved = /Saved as this machine's preset for SB in (.+presets\.json)/.exec(r.stdout);
  if (!saved) {
    // No trial showed a witness, or the best showed none again (a busy machine): nothing saved.
    t.regex(
      r.stdout,
      /Not saved: (no trial showed a witness|the best trial \(#[12]\) showed no witness when measured again)/,
    );
    t.false(existsSync(file));
    return;
  }
  t.is(saved[1], file);
  const [preset] = JSON.parse(readFileSync(file, 'utf8')).presets as Preset[];
  t.deepEqual(preset!.machine, machineKey(hostInfo()));
  t.is(preset!.family, 'SB');
  t.like(preset!.knobs, { start: 'timebase', delay: 24, meet: 3, pad: 2, stride: 64, stress: 0 });
  t.regex(r.stdout, /Best: #[12] \(.*\): .* witnesses/);
  // Reversed won its trial: measured again beside the starting knobs, as the last two rows.
  if (/ 4 trials in /.test(r.stdout)) t.is(r.stdout.match(/\(again, to confirm\)/g)?.length, 2);
  const later = recordOf(
    await smplabWith(env, 'run', 'SB+poonceonces', '--runs', '20000', '--json'),
  );
  t.deepEqual(later.backends.hw.runs.knobs, {
    ...preset!.knobs,
    size: later.backends.hw.runs.size,
  });
  t.is(later.options.knobsFrom.preset.family, 'SB');
});

test('--tune on a family measures each of its tests, a Never one by its relaxation', async (t) => {
  const r = await smplabWith({}, 'run', 'SB', '--tune', '--time', '1', ...holdingAllBut());
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /Tuned SB on hw .*: 1 trial in/);
  t.regex(r.stdout, /SB\+fencembonceonces is Never: measured on its relaxation/);
  t.notRegex(r.stdout, /FORBIDDEN/);
});
