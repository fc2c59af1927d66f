// One grading for every reader: a state is outside the model when a model bounding that run
// forbids it — lkmm for every backend that runs threads, tso too for hw's x86 mapping (the
// CLI's soundness check, backends/soundness.ts). MP's relaxed state (1:r0=1; 1:r1=0;), which
// lkmm allows and tso forbids, is correct on weak and a failure on hw with the x86 mapping:
// the report and JUnit grade it as the CLI does.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { gradeRecord } from '../../src/report/grade.ts';
import { junitOfRecord } from '../../src/report/junit.ts';
import { normalise } from '../../src/report/records.ts';
import { resultFiles, smplab } from '../cli/smplab.ts';

const RELAXED = '1:r0=1; 1:r1=0;';

test('weak showing what lkmm allows and tso forbids passes; hw with the x86 mapping fails', async (t) => {
  const run = await smplab('run', 'MP+poonceonces', '--on', 'model,hw,weak', '--runs', '2000');
  t.is(run.code, 0, run.stdout + run.stderr);
  const raw = JSON.parse(readFileSync(join(run.results, resultFiles(run.results)[0]!), 'utf8'));
  t.deepEqual(Object.keys(raw.grading.bounds).sort(), ['lkmm', 'tso']);
  const withState = (backend: string) => {
    const copy = structuredClone(raw);
    copy.backends[backend].runs.histogram[RELAXED] = { values: [1, 0], count: 1 };
    return normalise('r.json', copy);
  };

  const weak = withState('weak');
  if (typeof weak === 'string') return t.fail(weak);
  t.deepEqual(gradeRecord(weak).problems, []);
  t.deepEqual(junitOfRecord(weak).cases[0]!.failures, []);

  const hw = withState('hw');
  if (typeof hw === 'string') return t.fail(hw);
  t.true(hw.observed.find((o) => o.backend === 'hw')!.memory === 'x86' || process.arch !== 'x64');
  if (process.arch !== 'x64') return;
  const g = gradeRecord(hw);
  t.true(g.failed);
  t.deepEqual(
    g.problems.map((p) => p.message),
    [`hw showed 1 state(s) tso forbids: ${RELAXED}`],
  );
});
