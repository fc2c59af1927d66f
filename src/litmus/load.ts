// Reading a litmus file from disk: loadLitmus(path) = parseLitmus of its text, with Test.file
// set to the path as given and Test.hash the sha256 of the text (parseLitmus computes it), so
// that a result can be traced back to the exact test it ran. A file that cannot be read is a
// UserError naming it.

import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { Test } from './ir.ts';
import { parseLitmus } from './parse.ts';

/**
 * The largest litmus file read, in bytes. The kernel's largest test is under 4 KB and diy7's
 * under 2 KB; past this a file is refused before it is read whole.
 */
export const MAX_LITMUS_BYTES = 1024 * 1024;

/** Every .litmus file under `dir`, subfolders included, in sorted order. */
export function litmusFilesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return litmusFilesUnder(p);
      return p.endsWith('.litmus') ? [p] : [];
    });
}

export function loadLitmus(path: string): Test {
  return readLitmusFile(path).test;
}

/** A litmus file read once: its test, and the text that test and its hash were made from. */
export function readLitmusFile(path: string): { test: Test; source: string } {
  const source = readLitmusText(path);
  return { test: parseLitmus(source, path), source };
}

/**
 * The text of a litmus file: refused, as a UserError naming it, when it cannot be read, is not
 * a regular file (a directory, /dev/zero, a FIFO), is larger than MAX_LITMUS_BYTES, or is
 * binary (a NUL byte, or bytes that are not UTF-8).
 */
export function readLitmusText(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new UserError(cannotRead(err as NodeJS.ErrnoException), path);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UserError('is a directory, not a litmus file', path);
    if (!st.isFile())
      throw new UserError('is not a regular file (a device or a pipe), not a litmus file', path);
    if (st.size > MAX_LITMUS_BYTES) {
      throw new UserError(
        `is ${st.size.toLocaleString('en-US')} bytes, more than the ${MAX_LITMUS_BYTES.toLocaleString('en-US')} bytes a litmus file may have`,
        path,
      );
    }
    // One byte more than the limit: a file that grows while it is read is still caught.
    const buf = Buffer.alloc(MAX_LITMUS_BYTES + 1);
    let n = 0;
    for (let got = 1; got > 0 && n < buf.length; n += got)
      got = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_LITMUS_BYTES)
      throw new UserError(
        `is more than the ${MAX_LITMUS_BYTES} bytes a litmus file may have`,
        path,
      );
    return decodeText(buf.subarray(0, n), path);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(cannotRead(err as NodeJS.ErrnoException), path);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text, or a UserError saying the file is binary and where the first odd byte is. */
function decodeText(bytes: Buffer, path: string): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new UserError(`is a binary file (a NUL byte at offset ${nul}), not a litmus test`, path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(
      'is a binary file (bytes that are not UTF-8 text), not a litmus test',
      path,
    );
  }
}

function cannotRead(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a litmus file';
    case 'EACCES':
      return 'permission denied';
    default:
      return `cannot read the file (${err.code ?? err.message})`;
  }
}
