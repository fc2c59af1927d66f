// Whether a program scenario's code may make a plain access, known before it runs (docs/explore.md
// "Races aside"): lkmm's guesses from the accepted executions can miss an execution only through
// a load-buffering cycle that passes a plain access, which may sit on a path no run ever takes
// (adversarial-guesses' A5), so what the runs meet does not tell. The scan reads the scenario's
// module and every module it imports by a relative path, smplab's own code left out, for the
// name of one of the kernel API's plain accessors (PLAIN_ACCESSORS): a name is enough, as which
// variant calls it is not known. A module it cannot read counts as one that names one.
//
// This module neither runs nor explores anything.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PLAIN_ACCESSORS } from '../kernel/once.ts';
import { isOwnCode } from '../own-modules.ts';

const NAMES = new RegExp(`\\b(${PLAIN_ACCESSORS.join('|')})\\b`);
/** `from './x.js'`, `import './x.js'`, `import('./x.js')`: a relative module specifier. */
const RELATIVE = /\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Per scenario module, whether it or a module it imports names a plain accessor. */
const scanned = new Map<string, boolean>();

/** Whether the module `file` (undefined: not known) may make a plain access. */
export function mayMakePlainAccess(file: string | undefined): boolean {
  if (file === undefined) return true;
  const path = resolve(file);
  let out = scanned.get(path);
  if (out === undefined) {
    out = scan(path, new Set());
    scanned.set(path, out);
  }
  return out;
}

/** Whether `file` or a module it imports (none of `seen`, nor smplab's own) names one. */
function scan(file: string, seen: Set<string>): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return true;
  }
  let out = NAMES.test(text);
  for (const m of text.matchAll(RELATIVE)) {
    if (out) break;
    const target = moduleFile(dirname(file), m[1]!);
    if (target === undefined) out = true;
    else if (!isOwnCode(target)) out = scan(target, seen);
  }
  return out;
}

/** The file a relative specifier names (a `.js` written for a `.ts` source too), if any. */
function moduleFile(dir: string, spec: string): string | undefined {
  const base = resolve(dir, spec);
  const stem = base.replace(/\.[cm]?[jt]sx?$/, '');
  const tries = [base, ...['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs'].map((e) => stem + e)];
  return tries.find((f) => existsSync(f));
}
