// Finding scenarios by name: the list, and the one-paragraph errors for a wrong name.

import test from 'ava';
import { UserError } from '../../../src/errors.ts';
import { listScenarios, loadScenario } from '../../../src/runtime/scenario/load.ts';
import { runScenario } from '../../../src/runtime/scenario/run.ts';

test('listScenarios: scenarios/*.ts by name, with description and absolute file', async (t) => {
  const list = await listScenarios();
  const ab = list.find((s) => s.name === 'atomic-bool');
  t.truthy(ab);
  t.true(ab!.file.endsWith('/scenarios/atomic-bool.ts'));
  t.is(
    ab!.description,
    'publish data then a flag: plain vs *_ONCE vs release/acquire vs smp_wmb/smp_rmb',
  );
  t.truthy(list.find((s) => s.name === 'refcount'));
  t.deepEqual(
    list.map((s) => s.name),
    [...list.map((s) => s.name)].sort(),
  );
});

test('loadScenario: an unknown name is a UserError with the closest names', async (t) => {
  const e = await t.throwsAsync(loadScenario('atomic-boll'), { instanceOf: UserError });
  t.regex(
    e!.message,
    /^unknown scenario atomic-boll \(did you mean atomic-bool\?\); scenarios: .*atomic-bool.*refcount/,
  );
});

test('runScenario: an unknown variant is a UserError naming the variants', async (t) => {
  const s = await loadScenario('refcount');
  const e = await t.throwsAsync(runScenario(s, { variants: ['atomc'] }), { instanceOf: UserError });
  t.is(
    e!.message,
    'scenario refcount has no variant atomc (did you mean atomic?); variants: plain, once, atomic',
  );
});
