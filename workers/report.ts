// The report's worker: reads a results folder and writes its site (lab/report.ts writeReport),
// off the main thread, so that the main thread hears Ctrl-C and SIGTERM at once even while one
// huge record is parsed, validated, graded or drawn (each a single step of seconds under load).
// The main thread's 'stop' on `port` is heard between steps, as writeReport's signal; a worker
// that does not stop soon enough is terminated (lab/report-worker.ts). This file is only the
// worker's entry point.

import type { MessagePort } from 'node:worker_threads';
import { UserError } from '../src/errors.ts';
import {
  type ReportAnswer,
  type ReportProgress,
  type ReportRequest,
  reportSummary,
  writeReport,
} from '../src/lab/report.ts';
import { CatModel } from '../src/model/cat/model.ts';
import { useCatModels } from '../src/model/models/registry.ts';

// A record of a run under a cat model is drawn under that model (report/html/test-page.ts).
useCatModels(CatModel);

export default async function reportWorker(task: {
  request: ReportRequest;
  port: MessagePort;
}): Promise<ReportAnswer> {
  const { request, port } = task;
  const stop = new AbortController();
  port.on('message', (m) => {
    if (m === 'stop') stop.abort();
  });
  const post = (m: ReportProgress) => port.postMessage(m);
  try {
    const done = await writeReport(request.folder, request.out, request.options, stop.signal, {
      onRead: (records) => post({ tag: 'read', records }),
      onPage: (page) => post({ tag: 'page', page }),
    });
    return { tag: 'done', summary: reportSummary(done) };
  } catch (e) {
    // A user's mistake crosses back as data: an Error thrown here would lose its class.
    if (!(e instanceof UserError)) throw e;
    return { tag: 'user-error', message: e.message, ...(e.file && { file: e.file }) };
  } finally {
    port.close();
  }
}
