// --ablate: the test with each of its ordering elements removed or weakened in turn, so
// that a model run on each variant shows which elements the verdict depends on.
//
// The elements: each fence (removed), each release or acquire (weakened to ONCE), each ONCE
// access (weakened to a plain C access), each fully ordered or acquire/release rmw (to its
// _relaxed form), each spin_lock() with its spin_unlock() (both removed), each
// rcu_read_lock() with its rcu_read_unlock() (both removed). Everything else of the test —
// its name, locations, condition — is kept, so the variants' states compare with the
// original's. This module builds variants; it runs nothing.

import type { Instr, Test, Thread } from '../../litmus/ir.ts';
import { instrAt, macroName } from './describe.ts';

export interface Ablation {
  /** The element, e.g. "P0: smp_mb() at 3:2". */
  element: string;
  /** What was done to it: "removed", "smp_load_acquire → READ_ONCE", ... */
  change: string;
  /** The variant. */
  test: Test;
}

/** Where an instruction sits: its thread and the index path through nested branches. */
interface Site {
  thread: number;
  path: number[];
  instr: Instr;
}

export function ablations(test: Test): Ablation[] {
  const out: Ablation[] = [];
  for (const thread of test.threads) {
    const sites = sitesOf(thread.id, thread.body, []);
    for (const site of sites) {
      const a = ablationAt(test, sites, site);
      if (a) out.push(a);
    }
  }
  return out;
}

/** The ablation of the element at one site, if it is an ordering element. */
function ablationAt(test: Test, sites: Site[], site: Site): Ablation | undefined {
  const element = `P${site.thread}: ${instrAt(site.instr)}`;
  const i = site.instr;
  const remove = (more: Site[] = []) => edit(test, [site, ...more], () => undefined);
  const pair = (opens: (x: Instr) => boolean, closes: (x: Instr) => boolean, change: string) => {
    const close = matching(sites, site, opens, closes);
    return (
      close && { element: `${element} … ${instrAt(close.instr)}`, change, test: remove([close]) }
    );
  };
  switch (i.kind) {
    case 'fence':
      if (i.annot === 'rcu-unlock') return undefined;
      if (i.annot !== 'rcu-lock') return { element, change: 'removed', test: remove() };
      return pair(
        (x) => x.kind === 'fence' && x.annot === 'rcu-lock',
        (x) => x.kind === 'fence' && x.annot === 'rcu-unlock',
        'critical section removed',
      );
    case 'lock':
      return pair(
        (x) => x.kind === 'lock' && sameLock(x, i),
        (x) => x.kind === 'unlock' && sameLock(x, i),
        'lock pair removed',
      );
    case 'load':
    case 'store':
    case 'rmw': {
      const weaker = weaken(i);
      return (
        weaker && {
          element,
          change: `${macroName(i)} → ${macroName(weaker)}`,
          test: edit(test, [site], () => weaker),
        }
      );
    }
    default:
      return undefined;
  }
}

/**
 * The test with every ordering element weakened at once, short of plain accesses and keeping
 * locks and RCU critical sections: each fence removed, each release or acquire (and smp_mb
 * access) made ONCE, each ordered rmw made _relaxed. What its barriers forbid, a relaxation
 * shows: `smplab run --tune` measures a Never test on it (lab/tune-targets.ts).
 */
export function relaxation(test: Test): Test {
  const relax = (body: Instr[]): Instr[] =>
    body.flatMap((i): Instr[] => {
      if (i.kind === 'fence') return i.annot === 'rcu-lock' || i.annot === 'rcu-unlock' ? [i] : [];
      if (i.kind === 'branch')
        // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
        return [{ ...i, then: relax(i.then), else: relax(i.else) }];
      if (i.kind !== 'load' && i.kind !== 'store' && i.kind !== 'rmw') return [i];
      // ONCE stays ONCE (not plain: that would be another test, with data races).
      return [i.annot === 'once' || i.annot === 'plain' ? i : (weaken(i) ?? i)];
    });
  return { ...test, threads: test.threads.map((t) => ({ ...t, body: relax(t.body) })) };
}

/** The next weaker form of an access: acquire/release → ONCE, ONCE → plain, rmw → _relaxed. */
function weaken(i: Extract<Instr, { kind: 'load' | 'store' | 'rmw' }>): Instr | undefined {
  if (i.kind === 'rmw')
    return i.annot === 'once' || i.annot === 'noreturn' ? undefined : { ...i, annot: 'once' };
  if (i.annot === 'acquire' || i.annot === 'release' || i.annot === 'mb')
    return { ...i, annot: 'once' };
  if (i.annot === 'once') return { ...i, annot: 'plain' };
  return undefined;
}

function sameLock(a: Instr, b: Instr): boolean {
  return 'addr' in a && 'addr' in b && JSON.stringify(a.addr) === JSON.stringify(b.addr);
}

function sitesOf(thread: number, body: Instr[], prefix: number[]): Site[] {
  return body.flatMap((instr, k) => {
    const path = [...prefix, k];
    const here: Site = { thread, path, instr };
    if (instr.kind !== 'branch') return [here];
    return [
      here,
      ...sitesOf(thread, instr.then, [...path, 0]),
      ...sitesOf(thread, instr.else, [...path, 1]),
    ];
  });
}

/** The site closing `open` at the same nesting: the first `close` not taken by a later `opens`. */
function matching(
  sites: Site[],
  open: Site,
  opens: (i: Instr) => boolean,
  close: (i: Instr) => boolean,
): Site | undefined {
  const parent = open.path.slice(0, -1).join('.');
  let depth = 0;
  for (const s of sites) {
    if (s.thread !== open.thread || s.path.slice(0, -1).join('.') !== parent) continue;
    if (s.path[s.path.length - 1]! <= open.path[open.path.length - 1]!) continue;
    if (opens(s.instr)) depth++;
    else if (close(s.instr)) {
      if (depth === 0) return s;
      depth--;
    }
  }
  return undefined;
}

/** A copy of the test with the instructions at `sites` replaced (undefined: removed). */
function edit(test: Test, sites: Site[], replace: (i: Instr) => Instr | undefined): Test {
  const threads = test.threads.map((t): Thread => {
    const mine = sites.filter((s) => s.thread === t.id);
    return mine.length === 0
      ? t
      : {
          ...t,
          body: editBody(
            t.body,
            mine.map((s) => s.path),
            replace,
          ),
        };
  });
  return { ...test, threads };
}

function editBody(
  body: Instr[],
  paths: number[][],
  replace: (i: Instr) => Instr | undefined,
): Instr[] {
  const out: Instr[] = [];
  body.forEach((instr, k) => {
    const here = paths.filter((p) => p[0] === k);
    if (here.some((p) => p.length === 1)) {
      const r = replace(instr);
      if (r) out.push(r);
      return;
    }
    if (instr.kind === 'branch' && here.length > 0) {
      const inner = (side: number) => here.filter((p) => p[1] === side).map((p) => p.slice(2));
      out.push({
        ...instr,
        // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
        then: editBody(instr.then, inner(0), replace),
        else: editBody(instr.else, inner(1), replace),
      });
      return;
    }
    out.push(instr);
  });
  return out;
}
