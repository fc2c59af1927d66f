// A CPU: the piscina worker that runs one thread of a litmus test over every batch of a run.
// The loop itself is src/runtime/litmus/batch.ts; this file is only the worker's entry point.

import { type CpuResult, type CpuTask, runCpu } from '../src/runtime/litmus/batch.ts';

export default function litmusCpu(task: CpuTask): CpuResult {
  return runCpu(task);
}
