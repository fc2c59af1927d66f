// What the CLI shows around a run: progress bars on stderr while it runs (the lab asks for
// them by label), then the report (or the record, with --json) and where the record went;
// with --junit FILE the JUnit XML after it, so that a file that cannot be written costs
// nothing printed.

import type { LabHooks } from '../lab/litmus.ts';
import type { Saved } from '../lab/save.ts';
import type { JunitSuite } from '../report/junit.ts';
import { ProgressBar } from '../report/progress.ts';

/**
 * The record's JSON as saved, with where it went as its last field (`resultFile`): the text the
 * file holds, not the record serialised again. A record is an object that is never empty.
 */
export const withResultFile = (json: string, file: string | null): string =>
  `${json.replace(/\n}\n$/, '')},\n  "resultFile": ${JSON.stringify(file)}\n}\n`;

/** The lab's hooks for a run on this terminal: Ctrl-C's signal and a bar per long run. */
export const terminalHooks = (signal: AbortSignal): LabHooks => ({
  signal,
  progress: (label) => new ProgressBar(label),
});

/**
 * Print the report (or, with --json, the record), then say where the record went, or on
 * stderr why it was not written; with --junit, the run's suite (made from its values) in FILE.
 */
export async function emit(
  saved: Saved,
  text: () => string,
  flags: { json: boolean; junit?: string },
  suite: () => Promise<JunitSuite>,
): Promise<void> {
  const file = 'path' in saved ? saved.path : null;
  if (flags.json) process.stdout.write(withResultFile(saved.json, file));
  else console.log(file ? `${text()}\n\nResult written to ${file}` : text());
  if ('error' in saved) console.error(`\nResult not written: ${saved.error}`);
  if (flags.junit) (await import('../lab/junit.ts')).writeJunit(flags.junit, [await suite()]);
}
