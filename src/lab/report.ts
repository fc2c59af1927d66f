// `report [results dir] [-o out/] [--log]` as a use case: the HTML report of a results folder
// (by default the lab's results/), written to out/ (by default <results dir>/html/).

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { type Site, writeSite } from '../report/html/site.ts';
import { type ReadResult, readRecordsUntil } from '../report/records.ts';
import { RESULTS_DIR } from './paths.ts';
import { writingTo } from './write-file.ts';

export interface Reported {
  read: ReadResult;
  /** The folder written, absolute. */
  out: string;
  /** The pages written, those left out with why, and whether a signal stopped it. */
  site: Site;
}

export async function writeReport(
  folder: string | undefined,
  out: string | undefined,
  options: { log: boolean },
  signal?: AbortSignal,
): Promise<Reported> {
  const dir = resolve(folder ?? RESULTS_DIR);
  if (!existsSync(dir)) throw new UserError(`${dir}: no such results folder`);
  const read = await readRecordsUntil(dir, signal);
  const target = resolve(out ?? join(dir, 'html'));
  // Stopped while reading: nothing is written (an index of part of a folder would mislead).
  if (read.interrupted)
    return { read, out: target, site: { written: [], failed: [], interrupted: true } };
  if (read.records.length === 0)
    throw new UserError(`${dir}: no result records (run a test first: smplab run SB+poonceonces)`);
  const site = await writingTo(target, () => writeSite(read, target, options, signal));
  return { read, out: target, site };
}
