// The end of every run: its JSON record written to results/<name>/<timestamp>.json, then either
// the record on stdout (--json) or the text report with the path of the record under it; with
// --junit FILE, the record's JUnit XML as well (read back the way every reader reads records).

import { junitOfRecord, junitXml } from '../report/junit.ts';
import { normalise } from '../report/records.ts';
import { mapsAsObjects, writeResultFile } from '../report/results-file.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';
import { writeUserFile } from './write-file.ts';

export function emitResult(name: string, record: object, text: () => string, opts: Options): void {
  const file = displayPath(writeResultFile(RESULTS_DIR, name, record));
  if (opts.json) console.log(JSON.stringify({ ...record, resultFile: file }, mapsAsObjects, 2));
  else console.log(`${text()}\n\nResult written to ${file}`);
  if (opts.junit) {
    const read = normalise(file, JSON.parse(JSON.stringify(record, mapsAsObjects)));
    if (typeof read === 'string') throw new Error(`our own record does not read back: ${read}`);
    writeUserFile(opts.junit, junitXml([junitOfRecord(read)]));
  }
}
