// The end of every run: its JSON record written to results/<name>/<timestamp>.json, and with
// --junit FILE the record's JUnit XML (read back the way every reader reads records). A record
// that cannot be written never costs the run: the caller gets why, as a value, and shows it.

import { junitOfRecord, junitXml } from '../report/junit.ts';
import { normalise } from '../report/records.ts';
import { mapsAsObjects, ResultFileError, writeResultFile } from '../report/results-file.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';
import { writeUserFile } from './write-file.ts';

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

/** --junit FILE: one suite per record, each read back the way every reader reads records. */
export function writeJunit(junit: string, records: { name: string; record: object }[]): void {
  const suites = records.map(({ name, record }) => {
    const read = normalise(name, JSON.parse(JSON.stringify(record, mapsAsObjects)));
    if (typeof read === 'string') throw new Error(`our own record does not read back: ${read}`);
    return junitOfRecord(read);
  });
  writeUserFile(junit, junitXml(suites));
}
