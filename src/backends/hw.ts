// The `hw` backend: this machine's CPUs and JS engine, with this host's memory object (the
// x86-64 mapping on x86, portable elsewhere). x86-64 hardware is TSO, so what hw shows with the
// x86 mapping is bounded by tso as well as by lkmm; a run in a browser on another device
// (--browser-url) has the portable mapping, and lkmm alone bounds it.

import { hostMemoryKind } from '../memory/kinds.ts';
import { threadsBackend } from './threads.ts';

const memory = hostMemoryKind();

export const hwBackend = threadsBackend({
  name: 'hw',
  description:
    'what real threads on this CPU and this JS engine produce, with counts, as litmus7 and jcstress do',
  memory,
  // x86's memory object runs only where the hardware is TSO; portable's may run on any CPU.
  bounds: (m) => (m === 'x86' ? ['lkmm', 'tso'] : ['lkmm']),
  scenarios: true,
});
