// Whether a program scenario's code may make a plain access, known before it runs (docs/explore.md
// "Races aside"): lkmm's guesses from the accepted executions can miss an execution only through
// a load-buffering cycle that passes a plain access, which may sit on a path no run ever takes
// (adversarial-guesses' A5), so what the runs meet does not tell. The scan reads the scenario's
// module and every module it imports by a relative path, smplab's own code left out, for the
// name of one of the kernel API's plain accessors (PLAIN_ACCESSORS): a name is enough, as which
// variant calls it is not known. A module it cannot read counts as one that names one.
//
// A scenario may declare variants plain-free (ModelInstance.plainFree), which the scan cannot
// tell apart: their runs are checked instead (PlainFreeCheck), every event of every run of
// their code, and a plain access is refused where the scenario makes it. What no run makes is
// the declaration's word (docs/explore.md "Races aside").
//
// This module explores nothing: it reads sources, and checks the events a run records.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { PLAIN_ACCESSORS } from '../kernel/once.ts';
import type { Scenario } from '../kernel/scenario.ts';
import type { TracedEvent, Tracer } from '../memory/tracer.ts';
import { isOwnCode } from '../own-modules.ts';
import { callSite } from './call-site.ts';

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

/**
 * Whether the scenario declares that `variant` makes no plain access on any path
 * (ModelInstance.plainFree): the scan is not asked, and its runs are checked (PlainFreeCheck).
 */
export const declaredPlainFree = (s: Scenario, variant: string): boolean =>
  s.model?.plainFree?.includes(variant) ?? false;

/**
 * The check of a variant declared plain-free, on one thread's runs: each event recorded passes
 * through `over`'s Tracer, and a plain access is refused — a UserError naming the call and where the
 * scenario made it, never a verdict that assumed no plain access. A refusal the code catches
 * still ends the run (`run`).
 */
export class PlainFreeCheck {
  private refused: UserError | undefined;

  /** `what`: the run, as the refusal names it (`scenario X, thread Y`). */
  constructor(
    private readonly what: string,
    private readonly variant: string,
  ) {}

  /** One run of the thread's code: a refusal met in it is thrown however the run ended. */
  run<T>(body: () => T): T {
    this.refused = undefined;
    let out: T;
    try {
      out = body();
    } catch (e) {
      throw this.refused ?? e;
    }
    if (this.refused) throw this.refused;
    return out;
  }

  /** `t` with each event it records checked: a plain access is refused, not recorded. */
  over(t: Tracer): Tracer {
    return {
      ...t,
      emit: (e) => {
        if (isPlainAccess(e)) {
          this.refused ??= this.refusal(e);
          throw this.refused;
        }
        return t.emit(e);
      },
    };
  }

  private refusal(e: TracedEvent): UserError {
    const site = callSite(e.op);
    const call = site?.call ?? e.op;
    return new UserError(
      `${this.what}: ${call}() makes a plain access, but the scenario's model.plainFree says variant ${this.variant} makes none (use a marked access such as READ_ONCE()/WRITE_ONCE(), or take ${this.variant} out of model.plainFree)`,
      site?.file,
      site && { line: site.line, col: site.col },
    );
  }
}

/** A plain access: an access not in lkmm's Marked (as lock-handover.ts's marked() says it). */
const isPlainAccess = (e: TracedEvent): boolean =>
  e.dir !== 'F' && e.annot === 'plain' && e.rmw === undefined && e.lock === undefined;
