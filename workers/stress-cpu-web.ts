// A stress worker as a Web Worker (Deno, Bun, browsers): the same loop as on Node
// (src/runtime/litmus/stress.ts); a Web Worker cannot be pinned to a CPU.

import { runStress } from '../src/runtime/litmus/stress.ts';
import { serveCpu } from '../src/runtime/pool/web-entry.ts';

serveCpu(runStress);
