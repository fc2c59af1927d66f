// A litmus CPU as a Web Worker (Deno, Bun, browsers): the same batch loop as on Node
// (src/runtime/litmus/batch.ts), answered through the Web Worker host's protocol.

import { runCpu } from '../src/runtime/litmus/batch.ts';
import { serveCpu } from '../src/runtime/pool/web-entry.ts';

serveCpu(runCpu);
