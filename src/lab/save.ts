// The end of every run: its JSON record written to results/<name>/<timestamp>.json. A record
// that cannot be written never costs the run: the caller gets why, as a value, and shows it.

import { ResultFileError, recordJson, writeResultText } from '../report/results-file.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';

/**
 * Where a record went (as shown to the user), or why it could not be written; with the record
 * as JSON, made once for the file and for whoever prints it (--json).
 */
export type Saved = ({ path: string } | { error: string }) & { json: string };

/** Write the record under results/. */
export function saveResult(name: string, record: object): Saved {
  return saveJson(name, recordJson(record));
}

/** Write a record already made JSON (recordJson) under results/. */
export function saveJson(name: string, json: string): Saved {
  try {
    return { path: displayPath(writeResultText(RESULTS_DIR, name, json)), json };
  } catch (err) {
    if (err instanceof ResultFileError) return { error: err.message, json };
    throw err;
  }
}
