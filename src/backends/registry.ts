// Every backend, in report order. A new backend is a module exporting a Backend and one line
// here; `--on`, `help`, `list`, the README table and every report take them from this list.

import type { Backend } from './backend.ts';
import { hwBackend } from './hw.ts';
import { modelBackend } from './model.ts';
import { weakBackend } from './weak.ts';

export const BACKENDS: readonly Backend[] = [modelBackend, hwBackend, weakBackend];

export const BACKEND_NAMES: readonly string[] = BACKENDS.map((b) => b.name);

/** The backend called `name` (names come from the option parser, which checked them). */
export function backendNamed(name: string): Backend {
  const b = BACKENDS.find((x) => x.name === name);
  if (!b) throw new Error(`internal: no backend named ${name}`);
  return b;
}

/** What `--on` means when not given: every default backend for a litmus test, hw for a program. */
export function defaultBackends(kind: 'litmus' | 'program'): string[] {
  return kind === 'litmus'
    ? BACKENDS.filter((b) => b.byDefault).map((b) => b.name)
    : [
        ...BACKENDS.filter((b) => b.exploresScenarios),
        ...BACKENDS.filter((b) => b.scenarioMemory !== undefined).slice(0, 1),
      ].map((b) => b.name);
}
