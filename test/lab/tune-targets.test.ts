import { basename, join } from 'node:path';
import test from 'ava';
import { familyOf } from '../../src/lab/knobs.ts';
import { familyFiles, tuneTargets } from '../../src/lab/tune-targets.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { printLitmus } from '../../src/litmus/print.ts';
import { checkModel } from '../../src/model/index.ts';
import { CORPUS_DIR } from '../litmus/kernel-tests.ts';

const load = (name: string) => loadLitmus(join(CORPUS_DIR, `${name}.litmus`));

test('a family is the pattern a name starts with, 2+2W included', (t) => {
  t.is(familyOf('SB+fencembonceonces'), 'SB');
  t.is(familyOf('2+2W+poonceonces'), '2+2W');
  t.is(familyOf('IRIW+poonceonces+OnceOnce'), 'IRIW');
  t.is(familyOf('counter+atomicincs'), 'counter');
});

test('a Sometimes test is measured as it is; a Never test on its relaxation, which lkmm allows', (t) => {
  const { targets, untunable } = tuneTargets(
    [load('SB+poonceonces'), load('MP+fencewmbonceonce+fencermbonceonce')],
    10_000,
  );
  t.deepEqual(untunable, []);
  t.deepEqual(
    targets.map((x) => [x.of, x.relaxed]),
    [
      ['SB+poonceonces', false],
      ['MP+fencewmbonceonce+fencermbonceonce', true],
    ],
  );
  const mp = targets[1]!.test;
  t.is(checkModel(mp, 'lkmm').observation, 'Sometimes');
  t.is(
    printLitmus({ ...mp, name: '' }),
    printLitmus({ ...load('MP+poonceonces'), name: '', expected: undefined }),
    'MP with smp_wmb and smp_rmb removed is MP+poonceonces',
  );
});

test('the same relaxation is measured once; coherence has none to measure', (t) => {
  const { targets, untunable } = tuneTargets(
    [load('SB+poonceonces'), load('SB+fencembonceonces'), load('CoRR+poonceonce+Once')],
    10_000,
  );
  t.deepEqual(
    targets.map((x) => x.of),
    ['SB+poonceonces'],
  );
  t.is(untunable.length, 1);
  t.is(untunable[0]!.name, 'CoRR+poonceonce+Once');
  t.regex(untunable[0]!.reason, /no relaxation to measure/);
});

test('a pattern name is its family of corpus tests; a test name is not a family', (t) => {
  const sb = familyFiles('SB')!.map((f) => basename(f, '.litmus'));
  t.true(sb.includes('SB+poonceonces') && sb.includes('SB+fencembonceonces'));
  t.true(sb.every((n) => n.startsWith('SB+')));
  t.is(familyFiles('SB+poonceonces'), undefined);
  t.is(familyFiles('nonsense'), undefined);
  t.throws(() => familyFiles('Z6.3'), { message: /the corpus has no Z6.3 test to tune on/ });
});
