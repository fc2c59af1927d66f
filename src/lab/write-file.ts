// A file or folder the user named on the command line (--junit, --dot, --svg, -o): written, or
// a UserError naming it (a missing folder, no permission) instead of a stack trace.

import { writeFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

export function writeUserFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new UserError(`cannot write: ${(e as Error).message}`, file);
  }
}

/** Run `write` (a folder of files); a file-system error becomes a UserError naming `target`. */
export async function writingTo<T>(target: string, write: () => T | Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new UserError(`cannot write: ${(e as Error).message}`, target);
  }
}
