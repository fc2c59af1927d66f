// The files below a results folder, found without trusting the folder: a symlink loop, a
// symlink back into a folder already read, a FIFO or a device, a file too large to be a record
// — each is listed with the reason and never opened (a FIFO would block the read, and with it
// Ctrl-C). 'records' are the *.json files outside the report's own output (html/) and the bench
// results; 'all' (what merge copies) is every regular file but html/.

import { lstatSync, readdirSync, type Stats, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Larger than any record a run writes (a 200,000-state histogram is ~14 MB). */
export const MAX_RECORD_BYTES = 64 << 20;

/** Folders below a results folder that hold no records; html/ is a report, made again from them. */
const NOT_RECORDS = new Set(['bench', 'html']);
const NOT_COPIED = new Set(['html']);

export interface Found {
  /** Regular files, absolute, in a stable order. */
  files: string[];
  /** What was left out, relative to the folder, with why. */
  skipped: { path: string; reason: string }[];
}

export function recordFiles(dir: string, which: 'records' | 'all' = 'records'): Found {
  const records = which === 'records';
  const found: Found = { files: [], skipped: [] };
  const seen = new Set<string>();
  const visit = (folder: string) => {
    const st = statSync(folder);
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) {
      found.skipped.push({
        path: relative(dir, folder),
        reason: 'a link to a folder already read',
      });
      return;
    }
    seen.add(id);
    for (const entry of readdirSync(folder).sort()) {
      const full = join(folder, entry);
      const path = relative(dir, full);
      let st: Stats;
      try {
        st = lstatSync(full).isSymbolicLink() ? statSync(full) : lstatSync(full);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (!records || entry.endsWith('.json') || code === 'ELOOP')
          found.skipped.push({
            path,
            reason: code === 'ELOOP' ? 'a symlink loop' : `unreadable (${code})`,
          });
        continue;
      }
      if (st.isDirectory()) {
        if (!(records ? NOT_RECORDS : NOT_COPIED).has(entry)) visit(full);
      } else if (records && !entry.endsWith('.json')) {
        // Not a record by its name (notes, .tmp files): merge copies it, report ignores it.
      } else if (!st.isFile())
        found.skipped.push({ path, reason: `not a regular file (${kindOf(st)})` });
      else if (records && st.size > MAX_RECORD_BYTES)
        found.skipped.push({
          path,
          reason: `${st.size} bytes, over the ${MAX_RECORD_BYTES >> 20} MB a record may have`,
        });
      else found.files.push(full);
    }
  };
  visit(dir);
  return found;
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}
