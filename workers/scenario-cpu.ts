// A CPU of a program scenario: the piscina worker that runs one thread of one variant.
// The work is src/runtime/scenario/cpu.ts; this file is only the worker's entry point.

import { runScenarioCpu, type ScenarioTask } from '../src/runtime/scenario/cpu.ts';

export default function scenarioCpu(task: ScenarioTask): Promise<void> {
  return runScenarioCpu(task);
}
