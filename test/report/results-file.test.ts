// Result files: nothing is lost. Every write is a file of its own (300 records in the same
// millisecond, identical or not, are 300 files), written whole, and a name too long for a
// folder is still saved, under a cut name with the whole name inside the record.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';
import test from 'ava';
import { safeName, writeResultFile } from '../../src/report/results-file.ts';

const tmp = () => mkdtempSync(join(os.tmpdir(), 'smplab-results-file-'));

test('300 records written at once are 300 files, the identical ones too', (t) => {
  const dir = tmp();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const paths = new Set<string>();
  for (let i = 0; i < 300; i++)
    paths.add(writeResultFile(dir, 'SB+poonceonces', { n: i % 3 === 0 ? 'same' : i }));
  t.is(paths.size, 300);
  const files = readdirSync(join(dir, 'SB+poonceonces'));
  t.is(files.length, 300, 'no temporary file is left behind');
  t.true(
    files.every((f) => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-[0-9a-f]{8}(-\d+)?\.json$/.test(f)),
  );
});

test('a test name over 255 bytes is saved under a cut name; the record keeps it whole', (t) => {
  const dir = tmp();
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const long = `MP+${'pooncerelease+'.repeat(30)}x`;
  const other = `${long.slice(0, -1)}y`;
  const a = writeResultFile(dir, long, { name: long });
  const b = writeResultFile(dir, other, { name: other });
  t.true(Buffer.byteLength(basename(dirname(a))) <= 255);
  t.not(dirname(a), dirname(b), 'two long names that share their start keep apart');
  t.is(JSON.parse(readFileSync(a, 'utf8')).name, long);
  t.is(safeName('x y'), 'x_y');
});
