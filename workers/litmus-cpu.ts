// A CPU: the piscina worker that runs one thread of a litmus test over every batch of a run.
// The loop itself is src/runtime/litmus/batch.ts; this file is only the worker's entry point,
// which pins its thread to a CPU first when the run's placement says so (placement.ts).

import { type CpuResult, type CpuTask, runCpu } from '../src/runtime/litmus/batch.ts';
import { pinThisThread } from '../src/runtime/litmus/placement.ts';

export default function litmusCpu(task: CpuTask): CpuResult {
  if (task.settings.placement === 'pinned') pinThisThread(task.thread);
  return runCpu(task);
}
