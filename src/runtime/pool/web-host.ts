// The CPU host on the Web platform: Deno, Bun and browsers. Each task runs on its own module
// Worker (a CPU runs one thread for a whole run), started from the entry's URL; the worker
// answers a task with {ok: result} or {error: message} (web-entry.ts). Aborting a task's signal
// terminates its worker, as piscina does on Node. Only the Web platform's Worker is used.

import type { CpuEntry, CpuHost, CpuWorkers } from './cpu-host.ts';

/** A worker's answer: plain data across postMessage (an Error loses its class on the way). */
export type WebCpuReply<R> = { ok: R } | { error: string };

export function webHost(entries: Record<CpuEntry, URL | string>): CpuHost {
  return {
    name: 'web-workers',
    start<T, R>(entry: CpuEntry): CpuWorkers<T, R> {
      const workers = new Set<Worker>();
      return {
        run(task: T, signal?: AbortSignal) {
          const w = new Worker(entries[entry], { type: 'module' });
          workers.add(w);
          return new Promise<R>((resolve, reject) => {
            const end = () => {
              w.terminate();
              workers.delete(w);
            };
            w.onmessage = (e: MessageEvent<WebCpuReply<R>>) => {
              end();
              if ('ok' in e.data) resolve(e.data.ok);
              else reject(new Error(e.data.error));
            };
            // A worker that cannot load, or throws outside the task.
            w.onerror = (e: ErrorEvent) => {
              e.preventDefault?.();
              end();
              reject(new Error(e.message || 'the worker failed to start'));
            };
            signal?.addEventListener('abort', () => {
              end();
              reject(new Error('terminated'));
            });
            w.postMessage(task);
          });
        },
        async close() {
          for (const w of workers) w.terminate();
          workers.clear();
        },
      };
    },
  };
}
