// `report [results dir] [-o out/] [--log]` as a use case: the HTML report of a results folder
// (by default the lab's results/), written to out/ (by default <results dir>/html/). The CLI
// runs it on a worker thread (report-worker.ts), which answers with a ReportSummary.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { type Site, type SiteHooks, writeSite } from '../report/html/site.ts';
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

/** What a report is asked for: the command line's folder, -o and --log. */
export interface ReportRequest {
  folder: string | undefined;
  out: string | undefined;
  options: { log: boolean };
}

/** What the CLI prints of a report: a Reported without its records (which stay where read). */
export interface ReportSummary {
  records: number;
  /** The folder written, absolute. */
  out: string;
  /** The files written, index.html first (when it was). */
  written: string[];
  skipped: { path: string; reason: string }[];
  failed: { page: string; reason: string }[];
  /**
   * Where a signal stopped it: while reading (nothing written), while drawing (the index lists
   * the pages written), or abandoned: one step went on too long after the signal and its worker
   * was stopped (the pages written stay; index.html was not rewritten).
   */
  interrupted?: 'reading' | 'drawing' | 'abandoned';
}

/** Progress of a report: the records read (before any page), then each page written. */
export interface ReportHooks extends SiteHooks {
  onRead?: (records: number) => void;
}

/** A report worker's progress, posted to the main thread as it goes (workers/report.ts). */
export type ReportProgress = { tag: 'read'; records: number } | { tag: 'page'; page: string };

/** A report worker's answer. */
export type ReportAnswer =
  | { tag: 'done'; summary: ReportSummary }
  | { tag: 'user-error'; message: string; file?: string };

export function reportSummary(r: Reported): ReportSummary {
  const interrupted = !r.site.interrupted
    ? undefined
    : r.site.written.length === 0
      ? ('reading' as const)
      : ('drawing' as const);
  return {
    records: r.read.records.length,
    out: r.out,
    written: r.site.written,
    skipped: r.read.skipped,
    failed: r.site.failed,
    ...(interrupted && { interrupted }),
  };
}

/** The folder of results a report reads (absolute), and the folder it writes. */
export function reportFolders(request: ReportRequest): { dir: string; target: string } {
  const dir = resolve(request.folder ?? RESULTS_DIR);
  return { dir, target: resolve(request.out ?? join(dir, 'html')) };
}

export async function writeReport(
  folder: string | undefined,
  out: string | undefined,
  options: { log: boolean },
  signal?: AbortSignal,
  hooks: ReportHooks = {},
): Promise<Reported> {
  const { dir, target } = reportFolders({ folder, out, options });
  if (!existsSync(dir)) throw new UserError(`${dir}: no such results folder`);
  const read = await readRecordsUntil(dir, signal);
  // Stopped while reading: nothing is written (an index of part of a folder would mislead).
  if (read.interrupted)
    return { read, out: target, site: { written: [], failed: [], interrupted: true } };
  hooks.onRead?.(read.records.length);
  if (read.records.length === 0)
    throw new UserError(`${dir}: no result records (run a test first: smplab run SB+poonceonces)`);
  const site = await writingTo(target, () => writeSite(read, target, options, signal, hooks));
  return { read, out: target, site };
}
