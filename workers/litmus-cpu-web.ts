// A CPU as a Web Worker (Deno, Bun, browsers): runs one thread of a litmus test over every batch
// and posts back its tallies, or the thread's error as a message (errors do not cross postMessage
// with their class). The loop is src/runtime/batch.ts, the same as on Node.

import { runCpu } from '../src/runtime/batch.ts';
import type { WebCpuReply } from '../src/runtime/web-host.ts';

declare const self: {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(m: WebCpuReply): void;
};

self.onmessage = (e: MessageEvent) => {
  try {
    self.postMessage({ ok: runCpu(e.data) });
  } catch (err) {
    self.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
