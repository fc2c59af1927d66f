// `smplab report [results dir] [-o out/] [--log]`: the HTML report of a results folder (by
// default the lab's results/), written to out/ (by default <results dir>/html/), on a worker
// thread (lab/report-worker.ts) so that Ctrl-C is heard at once. Exit status 1 when a page
// could not be drawn (the others are written, and each left out is named).

import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { reportInWorker } from '../lab/report-worker.ts';
import { displayPath } from '../lab/resolve.ts';
import { counted } from '../report/format.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { REPORT } from './schema.ts';

export async function reportCommand(line: CommandLine, signal?: AbortSignal): Promise<number> {
  const flags = takeFlags(line, REPORT, 'report');
  if (line.args.length > 1)
    throw new UserError(`report takes one results folder, not ${line.args.length}`);
  const done = await reportInWorker(
    { folder: line.args[0], out: flags.out, options: { log: flags.log } },
    signal,
  );
  if (done.interrupted === 'reading') {
    console.log('interrupted while reading the records: nothing written');
    return 0;
  }
  if (done.interrupted === 'abandoned') {
    console.log(
      `interrupted while drawing: ${counted(done.written.length, 'page')} written to ${displayPath(done.out)}; index.html was not rewritten (smplab report again draws the whole site)`,
    );
    return 0;
  }
  console.log(
    `${done.records} runs, ${done.written.length - 1} pages: ${displayPath(join(done.out, 'index.html'))}`,
  );
  for (const s of done.skipped) console.log(`skipped ${s.path}: ${s.reason}`);
  for (const f of done.failed) console.log(`page not written: ${f.page}: ${f.reason}`);
  if (done.interrupted) console.log('interrupted: the index lists the pages written so far');
  return done.failed.length ? 1 : 0;
}
