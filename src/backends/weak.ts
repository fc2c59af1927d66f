// The `weak` backend: the same compiled threads on real workers, with the emulated weak CPU's
// memory object (src/memory/weak/, docs/weak.md): stale reads, stores performed early, writes seen
// in different orders by different CPUs — what LKMM allows and x86's TSO hides. Sound by
// construction and by test (weak ⊆ lkmm), so lkmm bounds it. Its histories are per instance:
// litmus instances, the fresh memory copies of an 'iterations' program scenario, or a
// long-running scenario's one memory.

import { threadsBackend } from './threads.ts';

export const weakBackend = threadsBackend({
  name: 'weak',
  description:
    'an emulated weak CPU on real threads (stale reads, stores performed early, non-multi-copy-atomic), seeded: what lkmm allows and x86 hides',
  memory: 'weak',
  bounds: () => ['lkmm'],
  // program scenarios of 32-bit words, up to 256 of them (memory.ts says which)
  scenarios: true,
});
