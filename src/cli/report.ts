// `smplab report [results dir] [-o out/] [--log]`: the HTML report of a results folder (by
// default the lab's results/), written to out/ (by default <results dir>/html/). Exit status 1
// when a page could not be drawn (the others are written, and each left out is named).

import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { writeReport } from '../lab/report.ts';
import { displayPath } from '../lab/resolve.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { REPORT } from './schema.ts';

export async function reportCommand(line: CommandLine, signal?: AbortSignal): Promise<number> {
  const flags = takeFlags(line, REPORT, 'report');
  if (line.args.length > 1)
    throw new UserError(`report takes one results folder, not ${line.args.length}`);
  const done = await writeReport(line.args[0], flags.out, { log: flags.log }, signal);
  if (done.site.written.length === 0) {
    console.log('interrupted while reading the records: nothing written');
    return 0;
  }
  console.log(
    `${done.read.records.length} runs, ${done.site.written.length - 1} pages: ${displayPath(join(done.out, 'index.html'))}`,
  );
  for (const s of done.read.skipped) console.log(`skipped ${s.path}: ${s.reason}`);
  for (const f of done.site.failed) console.log(`page not written: ${f.page}: ${f.reason}`);
  if (done.site.interrupted) console.log('interrupted: the index lists the pages written so far');
  return done.site.failed.length ? 1 : 0;
}
