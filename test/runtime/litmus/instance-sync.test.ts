import test from 'ava';
import { Aborted } from '../../../src/memory/faults.ts';
import {
  instanceSync,
  RETRY_AFTER,
  type StartSync,
  TIMEBASE_STEP_MS,
} from '../../../src/runtime/litmus/instance-sync.ts';

const setup = (
  enabled = true,
  mode: StartSync = 'fence',
  thread = 1,
  m = new Int32Array(8_192),
  clock?: () => number,
) => {
  const sync = instanceSync({
    m,
    thread,
    threads: 2,
    flagBase: 16,
    clockBase: 4_096,
    abortCell: 0,
    enabled,
    mode,
    clock,
  });
  return { m, sync };
};

test('a leader raises its flag; a follower whose leader is there does not wait', (t) => {
  const { m, sync } = setup();
  sync.startInstance(1); // thread 1 leads odd instances
  t.is(m[16 + 1], 1);
  m[16 + 2] = 1; // thread 0 led instance 2
  sync.startInstance(2);
  t.is(sync.lostMeetings(), 0);
});

test('a follower whose leader never comes gives up, runs RETRY_AFTER instances alone, then meets again', (t) => {
  const { m, sync } = setup();
  sync.startInstance(0);
  t.is(sync.lostMeetings(), 1);
  for (let k = 1; k < RETRY_AFTER; k++) sync.startInstance(k);
  t.is(m[16 + 1], 1, 'a leader raises its flag even when it does not meet');
  t.is(sync.lostMeetings(), 1);
  sync.startInstance(RETRY_AFTER); // even: thread 0 leads, absent again
  t.is(sync.lostMeetings(), 2);
  sync.startBatch();
  m[16 + 2] = 1;
  sync.startInstance(2);
  t.is(sync.lostMeetings(), 2, 'a new batch meets from its first instance');
});

test('a waiting follower sees the abort flag', (t) => {
  const { m, sync } = setup();
  m[0] = 1;
  t.throws(() => sync.startInstance(0), { instanceOf: Aborted });
});

test('disabled: nobody waits, no flag is raised', (t) => {
  const { m, sync } = setup(false);
  for (let k = 0; k < 10; k++) sync.startInstance(k);
  t.is(
    m.reduce((a, b) => a + b, 0),
    0,
    'no flags',
  );
  t.is(sync.lostMeetings(), 0);
});

test('flag: the leader raises its flag as fence does; none raises nothing', (t) => {
  const { m, sync } = setup(true, 'flag');
  sync.startInstance(1);
  t.is(m[16 + 1], 1);
  m[16 + 2] = 1;
  sync.startInstance(2);
  t.is(sync.lostMeetings(), 0);
  const none = setup(true, 'none');
  for (let k = 0; k < 10; k++) none.sync.startInstance(k);
  t.is(
    none.m.reduce((a, b) => a + b, 0),
    0,
  );
});

// On a clock the test moves (each look advances it a tenth of a step), so that no preemption of
// this busy machine can make a meeting late or in time: which one is the test's to say.
test('timebase: every thread reads the start time thread 0 published for this batch', (t) => {
  const m = new Int32Array(8_192);
  let time = 1_000;
  const clock = () => (time += TIMEBASE_STEP_MS / 10);
  const p0 = setup(true, 'timebase', 0, m, clock).sync;
  const p1 = setup(true, 'timebase', 1, m, clock).sync;
  p0.startBatch();
  p1.startBatch();
  t.is(m[4_096 + 2], 1, 'the batch number follows the time');
  const published = new Float64Array(m.buffer, 4_096 * 4, 1)[0]!;
  p1.startInstance(20);
  t.true(time >= published + 20 * TIMEBASE_STEP_MS, 'instance 20 waited for its time');
  t.true(time < published + 21 * TIMEBASE_STEP_MS, 'and no longer');
  t.is(p1.lostMeetings(), 0);
  // A thread that comes to instance 21 two steps after its time runs at once, counted late.
  time = published + 24 * TIMEBASE_STEP_MS;
  p1.startInstance(21);
  t.is(p1.lostMeetings(), 1);
  t.true(time < published + 24.5 * TIMEBASE_STEP_MS, 'without waiting');
  p0.startBatch();
  t.is(m[4_096 + 2], 2);
});

test('timebase: a thread waiting for the start time sees the abort flag', (t) => {
  const { m, sync } = setup(true, 'timebase', 1);
  m[0] = 1;
  t.throws(() => sync.startBatch(), { instanceOf: Aborted });
});

test("a leader's delay, fixed or swept, changes when it goes on, not which flags it raises", (t) => {
  for (const delay of [0, 100, 'sweep'] as const) {
    const m = new Int32Array(8_192);
    const sync = instanceSync({
      m,
      thread: 0,
      threads: 1,
      flagBase: 16,
      abortCell: 0,
      enabled: true,
      mode: 'fence',
      delay,
    });
    for (let k = 0; k < 40; k++) sync.startInstance(k);
    t.deepEqual([...m.subarray(16, 56)], new Array(40).fill(1), `delay ${delay}`);
    t.is(sync.lostMeetings(), 0);
  }
});

test('meet N: the threads meet at every Nth instance, led in turn, and run the others freely', (t) => {
  const m = new Int32Array(8_192);
  const sync = instanceSync({
    m,
    thread: 1,
    threads: 2,
    flagBase: 16,
    abortCell: 0,
    enabled: true,
    mode: 'fence',
    meet: 4,
  });
  m[16] = 1; // thread 0 led meeting 0 (instance 0)
  for (let k = 0; k < 8; k++) sync.startInstance(k);
  t.deepEqual([...m.subarray(16, 24)], [1, 0, 0, 0, 1, 0, 0, 0], 'thread 1 led meeting 1, at 4');
  t.is(sync.lostMeetings(), 0, 'no wait at an instance between meetings');
  // Meeting 2 (instance 8) is thread 0's, which never comes: lost, and the instances after it
  // (RETRY_AFTER of them) run without meeting, as with a meeting at every instance.
  sync.startInstance(8);
  t.is(sync.lostMeetings(), 1);
  for (let k = 9; k < 8 + RETRY_AFTER; k++) sync.startInstance(k);
  t.is(sync.lostMeetings(), 1);
  sync.startBatch();
  m.fill(0, 16, 16 + 16);
  m[16] = 1;
  sync.startInstance(0);
  t.is(sync.lostMeetings(), 1, 'a new batch meets from its first instance');
});

test('timebase with meet N: instance k waits for the clock only at a meeting, for meeting k / N', (t) => {
  const m = new Int32Array(8_192);
  let time = 1_000;
  const clock = () => (time += TIMEBASE_STEP_MS / 10);
  const cfg = { m, threads: 2, flagBase: 16, clockBase: 4_096, abortCell: 0, enabled: true, clock };
  const p0 = instanceSync({ ...cfg, thread: 0, mode: 'timebase', meet: 10 });
  p0.startBatch();
  const published = new Float64Array(m.buffer, 4_096 * 4, 1)[0]!;
  p0.startInstance(0);
  t.true(time >= published, 'meeting 0 waited for the start time');
  t.is(p0.lostMeetings(), 0);
  // Instance 10 is meeting 1, due one step after the start: five steps after, it is late.
  time = published + 5 * TIMEBASE_STEP_MS;
  for (let k = 1; k <= 10; k++) p0.startInstance(k);
  t.is(p0.lostMeetings(), 1, 'only meeting 1 was late');
});
