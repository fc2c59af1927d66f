// Errors in a cat file: a UserError at file:line:col with the line quoted, as for litmus files.
// The texts of the files read are kept here so that an error found while the model runs (an
// unbound name, a type mismatch) can still quote its line.

import { errorAt, UserError } from '../../errors.ts';
import type { CatPos } from './ast.ts';

/** A mistake in a cat file; `try e with e'` catches these (and only these). */
export class CatError extends UserError {}

/** A failure in a primitive, reported at the call as `primitive name: message`. */
export class PrimitiveError extends Error {}

const texts = new Map<string, string>();

/** Remember a file's text, to quote its lines in errors. */
export function rememberText(file: string, text: string): void {
  texts.set(file, text);
}

export function catError(message: string, at: CatPos): CatError {
  const text = texts.get(at.file);
  const quoted = text === undefined ? undefined : errorAt(message, at.file, text, at).sourceLine;
  return new CatError(message, at.file, { line: at.line, col: at.col }, quoted);
}
