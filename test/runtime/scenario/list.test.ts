// listScenarios over a folder with one broken module: the others are listed, the broken one is
// named with what is wrong with it, nothing throws.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { listScenarios } from '../../../src/runtime/scenario/load.ts';

test('a broken scenarios/*.ts is listed as broken, the rest as usual', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-scenarios-'));
  const real = fileURLToPath(new URL('../../../scenarios/atomic-bool.ts', import.meta.url));
  writeFileSync(join(dir, 'atomic-bool.ts'), `export { default } from ${JSON.stringify(real)};\n`);
  writeFileSync(join(dir, 'broken.ts'), 'export default defineScenario({ oops\n');
  const listed = await listScenarios(dir);
  t.deepEqual(
    listed.map((s) => [s.name, s.broken === undefined]),
    [
      ['atomic-bool', true],
      ['broken', false],
    ],
  );
  t.true(listed[0]!.description.length > 0);
  t.is(listed[1]!.broken!.file, join(dir, 'broken.ts'));
  t.regex(listed[1]!.broken!.message, /^cannot load scenario: /);
});
