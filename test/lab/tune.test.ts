import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { type Measure, neighbours, SEARCH_ORDER, searchKnobs } from '../../src/lab/tune.ts';
import { DEFAULT_KNOBS, KNOBS, type Knobs } from '../../src/runtime/litmus/knobs.ts';

/** A made-up machine: timebase and arrays of stride 1 show witnesses; pinned cannot run here. */
const machine: Measure = async (k: Knobs) => {
  if (k.placement === 'pinned') throw new UserError('placement pinned needs Linux');
  const witnesses = (k.start === 'timebase' ? 100 : 10) * (k.stride === 1 ? 4 : 1);
  return { runs: 10_000, witnesses, seconds: 1 };
};

const once = { budgetSeconds: 0.01, start: DEFAULT_KNOBS };

test('one pass tries every candidate of every knob around the best so far, in order, and keeps the best', async (t) => {
  const { trials, best } = await searchKnobs(machine, once);
  t.deepEqual(trials[0]!.knobs, DEFAULT_KNOBS, 'the starting knobs first');
  const candidates = SEARCH_ORDER.reduce((n, k) => n + KNOBS[k].candidates.length - 1, 0);
  t.is(trials.length, 1 + candidates + 2, 'the table lists every trial, and two to confirm');
  t.deepEqual(
    trials.slice(-2).map((x) => [x.confirms, x.knobs.start, x.knobs.stride]),
    [
      [true, 'fence', 0],
      [true, 'timebase', 1],
    ],
    'the starting knobs and the best, measured again',
  );
  t.is(trials[1]!.knobs.start, 'flag');
  t.deepEqual(best?.knobs, { ...DEFAULT_KNOBS, start: 'timebase', stride: 1 });
  t.is(best?.witnesses, 400, 'its figures from the confirmation');
  // After timebase won, the stride trials vary stride around timebase.
  const strideTrials = trials.filter((x) => x.knobs.stride !== 0 && !x.confirms);
  t.true(strideTrials.every((x) => x.knobs.start === 'timebase'));
});

test('knobs this machine refuses are rows with the reason; the search goes on', async (t) => {
  const { trials } = await searchKnobs(machine, once);
  const pinned = trials.filter((x) => x.knobs.placement === 'pinned');
  t.is(pinned.length, 1);
  t.is(pinned[0]!.refused, 'placement pinned needs Linux');
  t.is(pinned[0]!.runs, undefined);
  t.true(trials.indexOf(pinned[0]!) < trials.length - 1, 'more trials after it');
});

test('no witness in any trial: no best (nothing to rank)', async (t) => {
  const { trials, best } = await searchKnobs(
    async () => ({ runs: 5, witnesses: 0, seconds: 1 }),
    once,
  );
  t.true(trials.length > 1);
  t.is(best, undefined);
});

test('a bug in a trial is not a refusal: it ends the search', async (t) => {
  await t.throwsAsync(
    searchKnobs(async () => {
      throw new Error('internal: oops');
    }, once),
    { message: 'internal: oops' },
  );
});

test('a candidate must beat the best by the margin to replace it', async (t) => {
  const close: Measure = async (k) => ({
    runs: 1,
    witnesses: k.start === 'flag' ? 105 : 100,
    seconds: 1,
  });
  const { best } = await searchKnobs(close, once);
  t.is(best?.knobs.start, 'fence');
});

test('an aborted search stops after the trial under way', async (t) => {
  const abort = new AbortController();
  const { trials } = await searchKnobs(
    async () => {
      abort.abort();
      return { runs: 1, witnesses: 1, seconds: 1 };
    },
    { ...once, signal: abort.signal },
  );
  t.is(trials.length, 1);
  t.true(neighbours(DEFAULT_KNOBS).length > 10);
});

test('knobs given on the command line are held: no trial varies them', async (t) => {
  const start = { ...DEFAULT_KNOBS, start: 'flag' as const, stress: 1 };
  const { trials } = await searchKnobs(machine, { ...once, start, hold: ['start', 'stress'] });
  t.true(trials.every((x) => x.knobs.start === 'flag' && x.knobs.stress === 1));
  t.is(trials.length, 1 + neighbours(start, ['start', 'stress']).length + 2);
});

test('a lucky trial does not replace the starting knobs: measured again, it must win again', async (t) => {
  // flag shows 1,000 witnesses once (a quiet moment), then none; fence always 100.
  const seen = new Map<string, number>();
  const lucky: Measure = async (k) => {
    const n = (seen.get(k.start) ?? 0) + 1;
    seen.set(k.start, n);
    const witnesses = k.start === 'flag' ? (n === 1 ? 1_000 : 0) : 100;
    return { runs: 10_000, witnesses, seconds: 1 };
  };
  const { trials, best } = await searchKnobs(lucky, once);
  t.is(best?.knobs.start, 'fence', 'flag showed none the second time');
  t.deepEqual(
    trials.filter((x) => x.confirms).map((x) => x.knobs.start),
    ['fence', 'flag'],
  );
  t.is(best?.witnesses, 100, "the starting knobs' figures of the confirmation");
});
