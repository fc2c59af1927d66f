import test from 'ava';
import { Aborted } from '../../../src/memory/faults.ts';
import { instanceSync, RETRY_AFTER } from '../../../src/runtime/litmus/instance-sync.ts';

const setup = (enabled = true) => {
  const m = new Int32Array(8_192);
  const sync = instanceSync({ m, thread: 1, threads: 2, flagBase: 16, abortCell: 0, enabled });
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
