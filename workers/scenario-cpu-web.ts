// A program scenario's CPU as a Web Worker (Deno, Bun): one thread of one variant, the same
// work as on Node (src/runtime/scenario/cpu.ts).

import { serveCpu } from '../src/runtime/pool/web-entry.ts';
import { runScenarioCpu } from '../src/runtime/scenario/cpu.ts';

serveCpu(runScenarioCpu);
