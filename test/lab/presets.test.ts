import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  findPreset,
  loadPresets,
  machineKey,
  type Preset,
  presetsPath,
  savePreset,
} from '../../src/lab/presets.ts';
import { hostInfo } from '../../src/runtime/host.ts';
import { DEFAULT_KNOBS } from '../../src/runtime/litmus/knobs.ts';

const file = () => join(mkdtempSync(join(tmpdir(), 'smplab-presets-')), 'sub', 'presets.json');
const here = machineKey(hostInfo());

const preset = (family: string, more: Partial<Preset> = {}): Preset => ({
  machine: here,
  family,
  knobs: { ...DEFAULT_KNOBS, start: 'timebase', stride: 1, size: 10_000, stress: 1 },
  tests: [`${family}+poonceonces`],
  tunedAt: '2026-12-06T17:00:00.000Z',
  score: { runs: 1_000_000, witnesses: 38_000, seconds: 0.3 },
  ...more,
});

test('a saved preset reads back as it was, found by machine and family', (t) => {
  const path = file();
  t.deepEqual(loadPresets(path), [], 'no file: no preset');
  savePreset(preset('SB'), path);
  savePreset(preset('MP'), path);
  const all = loadPresets(path);
  t.deepEqual(findPreset(all, here, 'SB'), preset('SB'));
  t.is(findPreset(all, here, 'LB'), undefined);
  t.is(findPreset(all, { ...here, engine: 'bun' }, 'SB'), undefined, 'another engine');
  t.is(findPreset(all, { ...here, cores: here.cores + 1 }, 'SB'), undefined, 'another machine');
});

test('tuning a family again replaces its preset on this machine, not the others', (t) => {
  const path = file();
  savePreset(preset('SB'), path);
  savePreset(preset('SB', { machine: { ...here, engine: 'deno' } }), path);
  savePreset(preset('SB', { knobs: { ...DEFAULT_KNOBS, start: 'flag' } }), path);
  const all = loadPresets(path);
  t.is(all.length, 2);
  t.is(findPreset(all, here, 'SB')?.knobs.start, 'flag');
});

test('a presets file that is not ours, or holds a bad knob, is a message naming it', (t) => {
  const path = file();
  savePreset(preset('SB'), path);
  writeFileSync(path, readFileSync(path, 'utf8').replace('"timebase"', '"pthread"'));
  const e = t.throws(() => loadPresets(path), {
    message:
      "preset 1: start takes one of fence, flag, timebase, none, not 'pthread': delete it or fix it",
  });
  t.is((e as unknown as { file: string }).file, path);
  writeFileSync(path, '{ "presets": [] }');
  t.throws(() => loadPresets(path), { message: /^not a presets file of this smplab/ });
  writeFileSync(path, 'nonsense');
  t.throws(() => loadPresets(path), { message: /^not a presets file \(/ });
});

test('the presets live in the config folder: SMPLAB_CONFIG_DIR, else XDG_CONFIG_HOME, else ~/.config', (t) => {
  t.is(presetsPath({ SMPLAB_CONFIG_DIR: '/c', XDG_CONFIG_HOME: '/x' }), join('/c', 'presets.json'));
  if (process.platform === 'win32') return;
  t.is(presetsPath({ XDG_CONFIG_HOME: '/x' }), join('/x', 'smplab', 'presets.json'));
  t.regex(presetsPath({}), /[/\\]\.config[/\\]smplab[/\\]presets\.json$/);
});
