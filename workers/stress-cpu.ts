// A stress worker (src/runtime/litmus/stress.ts): hammers scratch memory while a litmus run's
// CPUs run; pinned to its CPU first when the run's placement says so.

import { pinThisThread } from '../src/runtime/litmus/placement.ts';
import { runStress, type StressResult, type StressTask } from '../src/runtime/litmus/stress.ts';

export default function stressCpu(task: StressTask): StressResult {
  if (task.pinTo !== undefined) pinThisThread(task.pinTo);
  return runStress(task);
}
