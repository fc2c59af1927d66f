// `merge <dir>... -o <out>` as a use case: the result folders of several machines and engines
// as one folder that `report` reads. A run found in more than one folder — the same test hash,
// host, engine and date (a folder copied twice, or merged before) — is kept once; two runs of
// one test on one host at different times are both kept, as history. Files keep their
// results/<name>/<timestamp>.json place; two different runs that would share a file name get
// the second one a suffix. Nothing in the source folders is changed.

import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { readRecords, runKey } from '../report/records.ts';
import { writingTo } from './write-file.ts';

export interface Merged {
  /** The folder merged into, absolute. */
  out: string;
  copied: number;
  duplicates: number;
  /** Files of the sources that are not records, with why (`dir/path`). */
  skipped: { path: string; reason: string }[];
}

export function mergeFolders(dirs: string[], out: string | undefined): Promise<Merged> {
  if (dirs.length === 0) throw new UserError('merge takes one or more results folders');
  if (!out) throw new UserError('merge needs -o <folder> to merge into');
  // Every folder checked before the first copy: a mistyped one leaves the target as it was.
  for (const arg of dirs)
    if (!existsSync(resolve(arg))) throw new UserError(`${arg}: no such results folder`);
  const target = resolve(out);
  return writingTo(target, () => mergeInto(target, dirs));
}

function mergeInto(out: string, dirs: string[]): Merged {
  const seen = new Set<string>();
  const merged: Merged = { out, copied: 0, duplicates: 0, skipped: [] };
  // What the target already holds counts as seen: merging into a folder adds to it.
  if (existsSync(out)) for (const r of readRecords(out).records) seen.add(runKey(r));
  for (const arg of dirs) {
    const dir = resolve(arg);
    const read = readRecords(dir);
    for (const s of read.skipped) merged.skipped.push({ ...s, path: join(arg, s.path) });
    for (const r of read.records) {
      const key = runKey(r);
      if (seen.has(key)) {
        merged.duplicates++;
        continue;
      }
      seen.add(key);
      copyFileSync(join(dir, r.path), freeTarget(out, r.path, join(dir, r.path)));
      merged.copied++;
    }
  }
  return merged;
}

/** out/<path>, or out/<path> with -2, -3… before .json when another run already has that name. */
function freeTarget(out: string, path: string, from: string): string {
  let target = join(out, path);
  for (let n = 2; existsSync(target); n++) {
    if (readFileSync(target, 'utf8') === readFileSync(from, 'utf8')) break;
    target = join(out, path.replace(/\.json$/, `-${n}.json`));
  }
  mkdirSync(dirname(target), { recursive: true });
  return target;
}
