// Reading a litmus file from disk: loadLitmus(path) = parseLitmus of its text, with Test.file
// set to the path as given and Test.hash the sha256 of the text (parseLitmus computes it), so
// that a result can be traced back to the exact test it ran. A file that cannot be read is a
// UserError naming it.

import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
import type { Test } from './ir.ts';
import { parseLitmus } from './parse.ts';

export function loadLitmus(path: string): Test {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(cannotRead(err as NodeJS.ErrnoException), path);
  }
  return parseLitmus(text, path);
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
