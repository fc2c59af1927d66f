// `smplab report` on a worker thread (workers/report.ts): one huge record is parsed, validated,
// graded and drawn in single steps of seconds under load, during which a thread hears no
// signal. On the main thread nothing runs but this wait, so a Ctrl-C or SIGTERM is heard at once:
// the worker is asked to stop between steps (it then writes an index of the pages written, as
// a report stopped in the main thread did), and terminated if it has not within STOP_GRACE_MS.

import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { UserError } from '../errors.ts';
import { ownModule, workerExecArgv } from '../own-modules.ts';
import {
  type ReportAnswer,
  type ReportProgress,
  type ReportRequest,
  type ReportSummary,
  reportFolders,
} from './report.ts';

/**
 * How long a stopped report may take to reach the end of its step: pages of ordinary records
 * take milliseconds each, so only a step of one huge record is cut short.
 */
export const STOP_GRACE_MS = 500;

export async function reportInWorker(
  request: ReportRequest,
  signal?: AbortSignal,
): Promise<ReportSummary> {
  const pool = new Piscina<unknown, ReportAnswer>({
    filename: ownModule('workers/report'),
    minThreads: 1,
    maxThreads: 1,
    execArgv: workerExecArgv(),
  });
  const { port1, port2 } = new MessageChannel();
  let records: number | undefined;
  const pages: string[] = [];
  port1.on('message', (m: ReportProgress) => {
    if (m.tag === 'read') records = m.records;
    else pages.push(m.page);
  });
  // Piscina terminates the worker of a task whose signal aborts.
  const kill = new AbortController();
  let grace: NodeJS.Timeout | undefined;
  const onAbort = () => {
    port1.postMessage('stop');
    grace = setTimeout(() => kill.abort(), STOP_GRACE_MS);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const answer = await pool.run(
      { request, port: port2 },
      { transferList: [port2], signal: kill.signal },
    );
    if (answer.tag === 'user-error') throw new UserError(answer.message, answer.file);
    return answer.summary;
  } catch (e) {
    if (!kill.signal.aborted) throw e;
    return abandonedSummary(request, records, pages);
  } finally {
    clearTimeout(grace);
    signal?.removeEventListener('abort', onAbort);
    port1.close();
    await pool.destroy();
  }
}

/**
 * A report whose worker was terminated: while reading (nothing written), or while drawing, with
 * the pages it said it wrote, and no index rewritten.
 */
function abandonedSummary(
  request: ReportRequest,
  records: number | undefined,
  pages: string[],
): ReportSummary {
  return {
    records: records ?? 0,
    out: reportFolders(request).target,
    written: pages,
    skipped: [],
    failed: [],
    interrupted: records === undefined ? 'reading' : 'abandoned',
  };
}
