// The worker side of the Web Worker host (web-host.ts): answer each task with the entry's
// result, or the error's message. Entry files (workers/*-web.ts) are one call to this.

import type { WebCpuReply } from './web-host.ts';

declare const self: {
  onmessage: ((e: MessageEvent) => void) | null;
  postMessage(m: WebCpuReply<unknown>): void;
};

export function serveCpu<T, R>(work: (task: T) => R | Promise<R>): void {
  self.onmessage = async (e: MessageEvent) => {
    try {
      self.postMessage({ ok: await work(e.data as T) });
    } catch (err) {
      self.postMessage({ error: err instanceof Error ? err.message : String(err) });
    }
  };
}
