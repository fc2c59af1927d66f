// --junit FILE for runs: one testsuite per record, each record read back the way every reader
// reads records (report/records.ts), so that CI sees what the report shows.

import { junitOfRecord, junitXml } from '../report/junit.ts';
import { normalise } from '../report/records.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { writeUserFile } from './write-file.ts';

/** --junit FILE: one suite per record, each read back the way every reader reads records. */
export function writeJunit(junit: string, records: { name: string; record: object }[]): void {
  const suites = records.map(({ name, record }) => {
    const read = normalise(name, JSON.parse(JSON.stringify(record, mapsAsObjects)));
    if (typeof read === 'string') throw new Error(`our own record does not read back: ${read}`);
    return junitOfRecord(read);
  });
  writeUserFile(junit, junitXml(suites));
}
