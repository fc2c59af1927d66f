// `smplab merge <dir>... -o <out>`: the result folders of several machines and engines as one
// folder that `report` reads. A run found in more than one folder — the same test hash, host,
// engine and date (a folder copied twice, or merged before) — is kept once; two runs of one
// test on one host at different times are both kept, as history. Files keep their
// results/<name>/<timestamp>.json place; two different runs that would share a file name get
// the second one a suffix. Nothing in the source folders is changed.

import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { readRecords, runKey } from '../report/records.ts';
import type { Options } from './options.ts';
import { displayPath } from './resolve.ts';
import { writingTo } from './write-file.ts';

export function mergeCommand(opts: Options): Promise<number> {
  if (opts.args.length === 0) throw new UserError('merge takes one or more results folders');
  if (!opts.out) throw new UserError('merge needs -o <folder> to merge into');
  // Every folder checked before the first copy: a mistyped one leaves the target as it was.
  for (const arg of opts.args)
    if (!existsSync(resolve(arg))) throw new UserError(`${arg}: no such results folder`);
  const out = resolve(opts.out);
  return writingTo(out, () => mergeInto(out, opts.args));
}

function mergeInto(out: string, dirs: string[]): number {
  const seen = new Set<string>();
  let copied = 0;
  let duplicates = 0;
  // What the target already holds counts as seen: merging into a folder adds to it.
  if (existsSync(out)) for (const r of readRecords(out).records) seen.add(runKey(r));
  for (const arg of dirs) {
    const dir = resolve(arg);
    const read = readRecords(dir);
    for (const s of read.skipped) console.log(`skipped ${join(arg, s.path)}: ${s.reason}`);
    for (const r of read.records) {
      const key = runKey(r);
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
      copyFileSync(join(dir, r.path), freeTarget(out, r.path, join(dir, r.path)));
      copied++;
    }
  }
  console.log(
    `${copied} runs merged into ${displayPath(out)} from ${dirs.length} folders, ${duplicates} duplicates left out`,
  );
  return 0;
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
