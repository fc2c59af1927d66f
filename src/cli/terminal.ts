// What the CLI shows around a run: progress bars on stderr while it runs (the lab asks for
// them by label), then the report (or the record, with --json) and where the record went;
// with --junit FILE the JUnit XML after it, so that a file that cannot be written costs
// nothing printed.

import type { LabHooks } from '../lab/litmus.ts';
import type { Saved } from '../lab/save.ts';
import { ProgressBar } from '../report/progress.ts';
import { mapsAsObjects } from '../report/results-file.ts';

/** The lab's hooks for a run on this terminal: Ctrl-C's signal and a bar per long run. */
export const terminalHooks = (signal: AbortSignal): LabHooks => ({
  signal,
  progress: (label) => new ProgressBar(label),
});

/**
 * Print the report (or, with --json, the record), then say where the record went, or on
 * stderr why it was not written.
 */
export async function emit(
  name: string,
  record: object,
  saved: Saved,
  text: () => string,
  flags: { json: boolean; junit?: string },
): Promise<void> {
  const file = 'path' in saved ? saved.path : null;
  if (flags.json) console.log(JSON.stringify({ ...record, resultFile: file }, mapsAsObjects, 2));
  else console.log(file ? `${text()}\n\nResult written to ${file}` : text());
  if ('error' in saved) console.error(`\nResult not written: ${saved.error}`);
  if (flags.junit)
    (await import('../lab/junit.ts')).writeJunit(flags.junit, [{ name: file ?? name, record }]);
}
