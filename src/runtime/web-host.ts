// The Web Worker host of the CPU pool: Deno, Bun and browsers. One module worker per test
// thread, each running workers/litmus-cpu-web.ts (or its bundle in a browser), which answers a
// CpuTask with {ok: CpuResult} or {error: message}. Uses only the Web platform's Worker.

import type { CpuResult } from './batch.ts';
import type { CpuHost } from './cpu-pool.ts';

/** The worker's answer: plain data across postMessage. */
export type WebCpuReply = { ok: CpuResult } | { error: string };

export function webWorkerHost(workerUrl: URL | string): CpuHost {
  const workers: Worker[] = [];
  return {
    name: 'web-workers',
    run(task) {
      const w = new Worker(workerUrl, { type: 'module' });
      workers.push(w);
      return new Promise<CpuResult>((resolve, reject) => {
        w.onmessage = (e: MessageEvent<WebCpuReply>) => {
          const reply = e.data;
          if ('ok' in reply) resolve(reply.ok);
          else reject(new Error(reply.error));
        };
        // A worker that cannot load or throws outside runCpu (the message says why).
        w.onerror = (e: ErrorEvent) => {
          e.preventDefault?.();
          reject(new Error(e.message || 'the worker failed to start'));
        };
        w.postMessage(task);
      });
    },
    async close() {
      for (const w of workers) w.terminate();
    },
  };
}
