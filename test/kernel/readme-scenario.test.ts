// The README's example scenario is a working one: the code block after its "example scenario"
// marker, saved as a file importing the kernel API (this checkout's, for 'smplab'),
// type-checks under strict rules and runs, and the barriers it adds keep its forbidden outcome
// at 0.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';
import { loadScenarioFile } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test("the README's example scenario loads and runs; its forbidden outcome stays 0", async (t) => {
  t.timeout(120_000);
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('<!-- example scenario:');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  t.truthy(block, 'the README has the example');
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-readme-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // A TypeScript file importing the kernel's sources, as the tests' loader runs them.
  const file = join(dir, 'publish.ts');
  writeFileSync(
    file,
    block!.replace("from 'smplab'", `from '${join(ROOT, 'src/kernel/index.ts')}'`),
  );
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--skipLibCheck'];
  // The kernel's sources it imports use Node's types, from this checkout.
  flags.push('--typeRoots', join(ROOT, 'node_modules', '@types'), '--types', 'node');
  await promisify(execFile)(
    process.execPath,
    [tsc, ...flags, '--module', 'nodenext', '--allowImportingTsExtensions', file],
    { cwd: dir },
  );
  const s = await loadScenarioFile(file);
  t.is(s.name, 'publish');
  // Each variant until the reader has seen the flag a few times (30 s the bound), not a fixed
  // 0.2 s: on a loaded machine a thread may get no CPU in so short a run.
  const r = await runScenario(s, { until: { 'flags seen': 100 }, timeSeconds: 30 });
  t.deepEqual(r.failures, []);
  const stale = r.variants.find((v) => v.variant === 'wmb-rmb')!.outcomes;
  t.is(stale.find((o) => o.outcome === 'flag seen, data stale')!.count, 0);
  t.true(r.variants.every((v) => (v.iterations ?? 0) > 0));
});
