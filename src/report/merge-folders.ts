// Merging result folders (`smplab merge`): every file below each source folder is copied to the
// same place below the target, so nothing a folder holds is lost — records, bench results,
// notes, files that are not records (copied as they are, and counted). A duplicate is the same
// content: a file whose bytes are already in the target (a folder copied twice, or merged
// before) is left out; two different files that would share a name are both kept, the second
// under a -2, -3… name. What cannot be copied (a FIFO, a device, a symlink loop, an unreadable
// file) is listed with the reason, and the merge says it is incomplete. An error reading a
// source names that source; one writing names the target. The report's own html/ is not
// copied: `smplab report` makes it again from the records.

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { UserError } from '../errors.ts';
import { recordFiles } from './record-files.ts';
import { readRecord } from './records.ts';
import { makeDirs } from './results-file.ts';

export interface MergeSummary {
  /** Result records copied. */
  records: number;
  /** Other files copied as they are (bench results, notes, files that are not records). */
  others: string[];
  /** Files left out because the target already holds their content. */
  duplicates: number;
  /** What could not be copied, with why: the merge is incomplete. */
  notCopied: { path: string; reason: string }[];
}

/** Copies every source folder into `out` (which may hold a merge already). */
export function mergeInto(out: string, sources: string[]): MergeSummary {
  const summary: MergeSummary = { records: 0, others: [], duplicates: 0, notCopied: [] };
  // What the target holds counts as merged already: merging into a folder adds to it.
  const seen = new Set(
    existsSync(out) ? naming(out, 'read', () => recordFiles(out, 'all').files.map(digestOf)) : [],
  );
  for (const source of sources) {
    const found = naming(source, 'read', () => recordFiles(source, 'all'));
    for (const s of found.skipped)
      summary.notCopied.push({ path: join(source, s.path), reason: s.reason });
    for (const file of found.files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        summary.notCopied.push({ path: file, reason: (e as Error).message });
        continue;
      }
      const sum = digest(bytes);
      if (seen.has(sum)) {
        summary.duplicates++;
        continue;
      }
      seen.add(sum);
      const rel = relative(source, file);
      const target = freeTarget(out, rel);
      naming(target, 'write', () => {
        makeDirs(dirname(target));
        copyFileSync(file, target);
      });
      if (isRecord(rel, bytes)) summary.records++;
      else summary.others.push(join(source, rel));
    }
  }
  return summary;
}

/** `f()`, a file-system error from it a UserError naming `path`: the input or the output it concerns. */
function naming<T>(path: string, what: 'read' | 'write', f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UserError || !(e as NodeJS.ErrnoException).code) throw e;
    throw new UserError(`cannot ${what}: ${(e as Error).message}`, path);
  }
}

const digest = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const digestOf = (file: string): string => digest(readFileSync(file));

/** A result record, as report reads one (a JSON file that the schema accepts). */
function isRecord(rel: string, bytes: Buffer): boolean {
  if (!rel.endsWith('.json') || rel.split(/[\\/]/)[0] === 'bench') return false;
  try {
    return typeof readRecord(rel, JSON.parse(bytes.toString('utf8'))) !== 'string';
  } catch {
    return false;
  }
}

/** out/<path>, or out/<path> with -2, -3… before its extension when another file has that name. */
function freeTarget(out: string, path: string): string {
  let target = join(out, path);
  for (let n = 2; existsSync(target); n++)
    target = join(out, path.replace(/(\.[^./\\]*)?$/, `-${n}$1`));
  return target;
}
