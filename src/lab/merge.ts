// `merge <dir>... -o <out>` as a use case: the result folders of several machines and engines
// as one folder that `report` reads. Every file is copied (report/merge-folders.ts: a duplicate
// is the same content; what is not a record is copied as it is; what cannot be copied is
// named). Every source folder is checked before the first copy, so a mistyped one leaves the
// target as it was. Nothing in the source folders is changed.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { type MergeSummary, mergeInto } from '../report/merge-folders.ts';

export interface Merged extends MergeSummary {
  /** The folder merged into, absolute. */
  out: string;
}

export function mergeFolders(dirs: string[], out: string | undefined): Merged {
  if (dirs.length === 0) throw new UserError('merge takes one or more results folders');
  if (!out) throw new UserError('merge needs -o <folder> to merge into');
  for (const arg of dirs)
    if (!existsSync(resolve(arg))) throw new UserError(`${arg}: no such results folder`);
  const target = resolve(out);
  return {
    out: target,
    ...mergeInto(
      target,
      dirs.map((d) => resolve(d)),
    ),
  };
}
