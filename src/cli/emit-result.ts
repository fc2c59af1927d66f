// The end of every run: its JSON record written to results/<name>/<timestamp>.json, then either
// the record on stdout (--json) or the text report with the path of the record under it; with
// --junit FILE, the record's JUnit XML as well (read back the way every reader reads records).

import { junitOfRecord, junitXml } from '../report/junit.ts';
import { normalise } from '../report/records.ts';
import { mapsAsObjects, ResultFileError, writeResultFile } from '../report/results-file.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';
import { writeUserFile } from './write-file.ts';

/**
 * Print the report (or, with --json, the record), then say where the record went. A record
 * that cannot be written never costs the run: the report comes first, then one line saying
 * why the file was not written; the return value is false then (the command exits non-zero).
 */
export function emitResult(
  name: string,
  record: object,
  text: () => string,
  opts: Options,
): boolean {
  const written = saveResult(name, record);
  const file = 'path' in written ? written.path : null;
  if (opts.json) console.log(JSON.stringify({ ...record, resultFile: file }, mapsAsObjects, 2));
  else console.log(file ? `${text()}\n\nResult written to ${file}` : text());
  if ('error' in written) console.error(`\nResult not written: ${written.error}`);
  if (opts.junit) writeJunit(opts.junit, [{ name: file ?? name, record }]);
  return file !== null;
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

/** Write the record; the path (as shown to the user), or why it could not be written. */
export function saveResult(name: string, record: object): { path: string } | { error: string } {
  try {
    return { path: displayPath(writeResultFile(RESULTS_DIR, name, record)) };
  } catch (err) {
    if (err instanceof ResultFileError) return { error: err.message };
    throw err;
  }
}
