// A scenario's own code that throws while the explorer runs it (a TypeError in a thread body, an
// arbiter's mistake) is the user's mistake, as on hw, where it is a FAILURE line: a UserError
// at the scenario's line that threw, with the error's name and message, not a crash printing
// the explorer's stack. The explorer's own errors stay ours (the CLI prints their stack): an
// error is the scenario's when the frame that threw is the scenario's code, or a kernel API
// function the scenario called directly (READ_ONCE(m.missing): the handle it passed is
// undefined). Frames without a file (a builtin such as JSON.parse) are skipped.
//
// This module reads an error's stack text, which tsx has already mapped to a TypeScript
// scenario's own lines; it decides nothing else.

import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';
import { isOwnCode } from '../own-modules.ts';

interface Frame {
  file: string;
  line: number;
  col: number;
}

/** `e` as the scenario's mistake in the run `what` (`scenario X, thread Y`), or undefined. */
export function scenarioThrew(what: string, e: unknown): UserError | undefined {
  if (!(e instanceof Error) || e instanceof UserError || e.message.startsWith('internal:'))
    return undefined;
  const at = thrownAt(e);
  if (!at) return undefined;
  return new UserError(`${what} threw ${e.name}: ${e.message}`, at.file, {
    line: at.line,
    col: at.col,
  });
}

/**
 * Where `e` was thrown in code not smplab's: the frame that threw, or the one that called the
 * kernel API function that threw; undefined when neither is a user's.
 */
export function thrownAt(e: Error): Frame | undefined {
  const frames = framesOf(e.stack ?? '');
  const theirs = (f: Frame | undefined) =>
    f !== undefined && !isOwnCode(f.file) && !f.file.startsWith('node:');
  return theirs(frames[0]) ? frames[0] : theirs(frames[1]) ? frames[1] : undefined;
}

/** The frames of a V8 stack text that name a file, innermost first. */
function framesOf(stack: string): Frame[] {
  const out: Frame[] = [];
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:.*\((.+):(\d+):(\d+)\)|(.+):(\d+):(\d+))$/.exec(line);
    if (!m) continue;
    const file = m[1] ?? m[4]!;
    out.push({
      file: file.startsWith('file://') ? fileURLToPath(file) : file,
      line: Number(m[2] ?? m[5]),
      col: Number(m[3] ?? m[6]),
    });
  }
  return out;
}
