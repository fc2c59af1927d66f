// The end of every run: its JSON record written to results/<name>/<timestamp>.json. A record
// that cannot be written never costs the run: the caller gets why, as a value, and shows it.

import { ResultFileError, writeResultFile } from '../report/results-file.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';

/** Where a record went (as shown to the user), or why it could not be written. */
export type Saved = { path: string } | { error: string };

/** Write the record under results/. */
export function saveResult(name: string, record: object): Saved {
  try {
    return { path: displayPath(writeResultFile(RESULTS_DIR, name, record)) };
  } catch (err) {
    if (err instanceof ResultFileError) return { error: err.message };
    throw err;
  }
}
