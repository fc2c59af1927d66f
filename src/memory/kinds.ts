// The registry of memory objects a CPU worker can be given, by name. A worker receives the
// name with its task and creates its memory object once, when it starts (src/memory/ops.ts has
// the interface); nothing after that asks which kind it got. A new kind is a module exporting
// a MemoryKind and one line in MEMORY_KINDS.

import type { MemoryKind } from './ops.ts';
import { WEAK_MEMORY } from './weak/memory.ts';
import { isX86Arch, PORTABLE_MEMORY, X86_MEMORY } from './x86.ts';

export const MEMORY_KINDS = {
  x86: X86_MEMORY,
  portable: PORTABLE_MEMORY,
  weak: WEAK_MEMORY,
} as const satisfies Record<string, MemoryKind>;

export type MemoryKindName = keyof typeof MEMORY_KINDS;

export const MEMORY_KIND_NAMES = Object.keys(MEMORY_KINDS) as MemoryKindName[];

/** The memory object this host's hw runs get: the x86 mapping on x86, portable elsewhere. */
export function hostMemoryKind(arch: string = process.arch): MemoryKindName {
  return isX86Arch(arch) ? 'x86' : 'portable';
}

export function memoryKind(name: MemoryKindName): MemoryKind {
  const kind = MEMORY_KINDS[name];
  if (!kind) throw new Error(`internal: no memory object named ${String(name)}`);
  return kind;
}
