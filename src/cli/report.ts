// `smplab report [results dir] [-o out/] [--log]`: the HTML report of a results folder (by
// default the lab's results/), written to out/ (by default <results dir>/html/).

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { writeSite } from '../report/html/site.ts';
import { readRecords } from '../report/records.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';
import { writingTo } from './write-file.ts';

export async function reportCommand(opts: Options): Promise<number> {
  if (opts.args.length > 1)
    throw new UserError(`report takes one results folder, not ${opts.args.length}`);
  const dir = resolve(opts.args[0] ?? RESULTS_DIR);
  if (!existsSync(dir)) throw new UserError(`${dir}: no such results folder`);
  const read = readRecords(dir);
  if (read.records.length === 0)
    throw new UserError(`${dir}: no result records (run a test first: smplab run SB+poonceonces)`);
  const out = resolve(opts.out ?? join(dir, 'html'));
  const files = await writingTo(out, () => writeSite(read, out, { log: opts.log }));
  console.log(
    `${read.records.length} runs, ${files.length - 1} pages: ${displayPath(join(out, 'index.html'))}`,
  );
  for (const s of read.skipped) console.log(`skipped ${s.path}: ${s.reason}`);
  return 0;
}
