// Files that are not litmus tests are refused before they are read whole, and a message about a
// hostile file stays one readable line: at most QUOTE_WIDTH characters of it quoted, control
// bytes escaped, a megabyte-long name cut.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { formatUserError, MESSAGE_WIDTH, QUOTE_WIDTH, UserError } from '../../src/errors.ts';
import { loadLitmus, MAX_LITMUS_BYTES } from '../../src/litmus/load.ts';
import { refusal } from './refusal.ts';

const dir = mkdtempSync(join(tmpdir(), 'smplab-files-'));

function loadError(path: string): string {
  try {
    loadLitmus(path);
  } catch (err) {
    if (err instanceof UserError) return formatUserError(err);
    throw err;
  }
  return 'accepted';
}

const HEAD = 'C T\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1) ';

test('/dev/zero is refused as not a regular file, at once', (t) => {
  t.is(
    loadError('/dev/zero'),
    '/dev/zero: is not a regular file (a device or a pipe), not a litmus file',
  );
});

test('a file over MAX_LITMUS_BYTES is refused with its size and the limit', (t) => {
  const big = join(dir, 'big.litmus');
  writeFileSync(big, `${HEAD}${' '.repeat(MAX_LITMUS_BYTES)}`);
  const size = (HEAD.length + MAX_LITMUS_BYTES).toLocaleString('en-US');
  t.is(
    loadError(big),
    `${big}: is ${size} bytes, more than the 1,048,576 bytes a litmus file may have`,
  );
});

test('binary files are refused as such: a NUL byte, bytes that are not UTF-8', (t) => {
  const nul = join(dir, 'nul.litmus');
  writeFileSync(nul, Buffer.from('C T\n{}\0\n'));
  t.is(loadError(nul), `${nul}: is a binary file (a NUL byte at offset 6), not a litmus test`);
  const latin = join(dir, 'latin.litmus');
  writeFileSync(latin, Buffer.from([0x43, 0x20, 0x54, 0x0a, 0xff, 0xfe, 0x0a]));
  t.is(
    loadError(latin),
    `${latin}: is a binary file (bytes that are not UTF-8 text), not a litmus test`,
  );
});

test('a long line of garbage: one quoted line, cut to QUOTE_WIDTH, control bytes escaped', (t) => {
  const garbage = `/\\ \x1b[31m${'a\x1b[2J'.repeat(100_000)}`;
  const lines = refusal(`${HEAD}${garbage}\n`).split('\n');
  t.is(lines.length, 3);
  t.is(lines[0], 'T.litmus:4:17: unexpected character "\\u001b"');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  t.false(/[\x00-\x08\x0b-\x1f\x7f]/.test(lines.join('\n')));
  // QUOTE_WIDTH characters of source, each control byte shown as 4 (\x1b), and an ellipsis.
  t.true(lines[1]!.length <= 2 + 4 * QUOTE_WIDTH + 1, `${lines[1]!.length}`);
  t.true(lines[1]!.startsWith('  exists (x=1) /\\ \\x1b[31ma\\x1b[2Ja'));
  t.is(lines[2], `  ${' '.repeat(16)}^`);
});

test('an error far into a long line quotes a window around the column, the caret under it', (t) => {
  const line = `exists (x=1) /\\ ${'x=1 /\\ '.repeat(1000)}x=1 )`;
  const lines = refusal(`${HEAD.slice(0, HEAD.lastIndexOf('\n') + 1)}${line}\n`).split('\n');
  const col = line.lastIndexOf(')') + 1;
  t.is(lines[0], `T.litmus:4:${col}: unexpected ')' after the final condition`);
  t.true(lines[1]!.length <= 2 + QUOTE_WIDTH + 2);
  t.is(lines[1]![lines[2]!.length - 1], ')');
});

test('a megabyte-long name in a message is cut', (t) => {
  const message = refusal(`${HEAD}${'a'.repeat(1_000_000)}\n`).split('\n')[0]!;
  t.true(message.length <= MESSAGE_WIDTH + 20, `${message.length}`);
  t.regex(message, /^T\.litmus:4:14: unexpected 'a{39}…' after the final condition$/);
});
