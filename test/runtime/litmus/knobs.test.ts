import test from 'ava';
import {
  DEFAULT_KNOBS,
  describeKnobs,
  KNOB_NAMES,
  KNOBS,
  type Knobs,
  knobsChanged,
  knobsFromJson,
} from '../../../src/runtime/litmus/knobs.ts';

test('every candidate the tuner tries reads back from its own text as its flag would', (t) => {
  for (const name of KNOB_NAMES) {
    const spec = KNOBS[name];
    for (const v of spec.candidates) {
      if (v === undefined) continue;
      t.deepEqual(spec.parse(String(v), `--${name}`), v, `${name} ${String(v)}`);
    }
  }
});

test('a bad value is a message naming the flag and what it takes', (t) => {
  t.throws(() => KNOBS.start.parse('userfence', '--start'), {
    message: "--start takes one of fence, flag, timebase, none, not 'userfence'",
  });
  t.throws(() => KNOBS.stress.parse('65', '--stress'), {
    message: "--stress takes a whole number from 0 to 64, not '65'",
  });
  t.throws(() => KNOBS.pad.parse('0', '--pad'), {
    message: "--pad takes a whole number from 1 to 16,384, not '0'",
  });
});

test('knobs round-trip through JSON; unknown or bad fields are refused with where they came from', (t) => {
  const k: Knobs = {
    ...DEFAULT_KNOBS,
    start: 'timebase',
    delay: 'sweep',
    stride: 1,
    size: 1_000,
    stress: 2,
  };
  t.deepEqual(knobsFromJson(JSON.parse(JSON.stringify(k)), 'preset'), k);
  t.throws(() => knobsFromJson({ strat: 'fence' }, 'preset'), {
    message:
      "preset: unknown knob 'strat'; one of start, delay, meet, pad, stride, order, size, placement, stress",
  });
  t.throws(() => knobsFromJson({ start: 'pthread' }, 'preset'), {
    message: "preset: start takes one of fence, flag, timebase, none, not 'pthread'",
  });
});

test('the run line names every knob; the changes name only what differs', (t) => {
  t.is(
    describeKnobs(DEFAULT_KNOBS),
    'start fence, delay 0, meet 8, pad 16, stride blocks, order declared, size auto, placement os, stress 0',
  );
  t.is(knobsChanged({ ...DEFAULT_KNOBS, stride: 1, start: 'flag' }), 'start flag, stride 1');
  t.is(knobsChanged(DEFAULT_KNOBS), '');
});
