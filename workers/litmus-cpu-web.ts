// A litmus CPU as a Web Worker (Deno, Bun, browsers): the same batch loop as on Node
// (src/runtime/litmus/batch.ts), answered through the Web Worker host's protocol. A Web Worker
// cannot be bound to a CPU: placement pinned is the lab's to refuse before, and this worker's
// to refuse should it come anyway.

import { type CpuTask, runCpu } from '../src/runtime/litmus/batch.ts';
import { serveCpu } from '../src/runtime/pool/web-entry.ts';

serveCpu((task: CpuTask) => {
  if (task.settings.placement === 'pinned')
    throw new Error('placement pinned: a Web Worker cannot be bound to a CPU (Node on Linux only)');
  return runCpu(task);
});
