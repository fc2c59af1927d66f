// The `weak` backend: the same compiled threads on real workers, with the emulated weak CPU's
// memory object (src/memory/weak/, docs/weak.md): stale reads, stores performed early, writes seen
// in different orders by different CPUs — what LKMM allows and x86's TSO hides. Sound by
// construction and by test (weak ⊆ lkmm), so lkmm bounds it. Its histories are per instance:
// litmus instances, the fresh memory copies of an 'iterations' program scenario, or a
// long-running scenario's one memory. Without --engine a litmus test runs stepped in this
// thread (runtime/litmus/stepped.ts: deterministic, the same at any load); --engine node (or
// any engine) runs it on that engine's worker threads.

import { runLitmusStepped } from '../runtime/litmus/stepped.ts';
import { threadsBackend } from './threads.ts';

export const weakBackend = threadsBackend({
  name: 'weak',
  description:
    'an emulated weak CPU (stale reads, accesses performed early, non-multi-copy-atomic, RCU grace periods): what lkmm allows and x86 hides; stepped in process by a seeded scheduler (the same answer at any load), on real threads with --engine',
  memory: 'weak',
  bounds: () => ['lkmm'],
  // program scenarios too (long-running ones as one instance)
  scenarios: true,
  // without --engine, a litmus test is stepped in this thread: the same answer at any load
  stepped: runLitmusStepped,
});
