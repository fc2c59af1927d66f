// The README's user scenario (my-count.mts, under "Installing from npm") answers on the model
// what the README shows: its verdict table under sc and the --explain of the lost update, line
// for line. Here the block imports this checkout's kernel in place of 'smplab';
// test/package/pack.test.ts runs the same block from the installed package.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { smplab } from '../cli/smplab.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const MARKER = '<!-- user scenario:';

/** The README's code blocks after the marker: the scenario, then what it prints. */
function blocksAfterMarker(): { source: string; table: string[]; explained: string[] } {
  const rest = README.slice(README.indexOf(MARKER));
  const blocks = [...rest.matchAll(/```(\w*)\n([\s\S]*?)```/g)].slice(0, 3);
  const [source, table, explained] = blocks.map((b) => b[2]!);
  const lines = (b: string | undefined) => (b ?? '').split('\n').filter((l) => l !== '');
  return { source: source ?? '', table: lines(table), explained: lines(explained) };
}

test("the README's user scenario answers what the README shows on the model", async (t) => {
  t.timeout(240_000);
  const { source, table, explained } = blocksAfterMarker();
  t.true(source.includes("from 'smplab'"), 'the scenario imports the package');
  t.true(table.length >= 3 && explained.length >= 5, 'the README shows the table and --explain');
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-readme-user-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'my-count.mts');
  writeFileSync(
    file,
    source.replace("from 'smplab'", `from '${join(ROOT, 'src/kernel/index.ts')}'`),
  );
  const run = await smplab('run', file, '--on', 'model', '--model', 'sc');
  t.is(run.code, 0, run.stderr);
  const printed = run.stdout.split('\n').map((l) => l.trimEnd());
  for (const line of table) t.true(printed.includes(line.trimEnd()), `${line}\n${run.stdout}`);
  const told = await smplab(
    'run',
    file,
    '--on',
    'model',
    '--model',
    'sc',
    '--variant',
    'once',
    '--explain',
    'updates lost',
  );
  t.is(told.code, 0, told.stderr);
  const block = explained.join('\n');
  t.true(told.stdout.includes(block), `${block}\n---\n${told.stdout}`);
});
