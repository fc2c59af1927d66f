// --junit FILE for runs: the suites made from each run's values (report/junit.ts), written as
// one JUnit XML file, so that CI sees what the report shows.

import { type JunitSuite, junitXml } from '../report/junit.ts';
import { writeUserFile } from './write-file.ts';

/** --junit FILE: one suite per run. */
export function writeJunit(junit: string, suites: JunitSuite[]): void {
  writeUserFile(junit, junitXml(suites));
}
