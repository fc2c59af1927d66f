import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import { allowedCpus } from '../../../src/runtime/litmus/placement.ts';
import { startStress } from '../../../src/runtime/litmus/stress.ts';

test('the allowed CPUs are read from a Cpus_allowed_list with ranges', (t) => {
  t.deepEqual(
    allowedCpus('Name:\tnode\nCpus_allowed_list:\t0-3,8,10-11\n'),
    [0, 1, 2, 3, 8, 10, 11],
  );
  t.deepEqual(allowedCpus('Cpus_allowed_list:\t5\n'), [5]);
  t.throws(() => allowedCpus('Name: x\n'), { message: /no Cpus_allowed_list/ });
});

/** The allowed-CPU list of every thread of this process, by thread id. */
function threadCpuLists(): Map<string, string> {
  const lists = new Map<string, string>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
      lists.set(tid, /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '');
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return lists;
}

const linuxMulticore = (() => {
  try {
    return allowedCpus().length > 1;
  } catch {
    return false;
  }
})();

(linuxMulticore ? test : test.skip)(
  'pinned: a stress worker binds its own thread to one CPU; the process keeps them all',
  async (t) => {
    const cpus = allowedCpus();
    const all = threadCpuLists().get(String(process.pid));
    const last = cpus.length - 1;
    const stress = startStress(1, { pinFrom: last });
    // The worker pins itself when it starts: wait for a thread bound to that CPU alone.
    const want = String(cpus[last]);
    const deadline = Date.now() + 60_000;
    while (![...threadCpuLists().values()].includes(want) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    t.true([...threadCpuLists().values()].includes(want), `a thread allowed only CPU ${want}`);
    t.is(threadCpuLists().get(String(process.pid)), all, 'the main thread is not pinned');
    t.is((await stress.stop()).length, 1);
  },
);

test('stop ends every stress worker, and none starts for 0', async (t) => {
  t.deepEqual(await startStress(0).stop(), []);
  const results = await startStress(2).stop();
  t.is(results.length, 2);
});
