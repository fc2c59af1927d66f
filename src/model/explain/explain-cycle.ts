// The cycle behind a failed axiom, as steps between events, each named for the relation that
// makes it: explanation.txt's "A executes before B because ..." chain, closed back to A.
//
// A step of a composite relation is split into its parts the way the model composes it
// (pb = prop ; strong-fence ; hb*, rb = prop ; rcu-fence ; hb* ; pb*), and each part is
// named by the most specific relation it belongs to (fre, rfe, coe, an smp_mb(), acquire, an
// address dependency, ...).

import type { Test } from '../../litmus/ir.ts';
import { type Axiom, type Base, base } from '../core/base.ts';
import type { Execution } from '../core/execution.ts';
import { findCycle, id, opt, type Relation, star, union } from '../core/relation.ts';
import { type EventNaming, litmusNaming, namedEvent } from './describe.ts';

type Named = Map<string, Relation> | undefined;

export function axiomCycle(
  test: Test,
  x: Execution,
  axiom: Axiom,
  rel: Relation,
  named: Named,
  naming: EventNaming = litmusNaming(test),
): string[] {
  const ev = (id: number) => namedEvent(naming, x.sk.events[id]!);
  const found = cycleSteps(x, axiom, rel, named, naming);
  if (!found) return [];
  if (!Array.isArray(found)) {
    const { a, c } = found;
    return [
      `  ${ev(a)} and ${ev(c)} break it: ${axiom.name === 'atomic' ? 'another write slips between the read and the write of this rmw' : 'the plain accesses are not ordered as coherence needs'}.`,
    ];
  }
  const lines = ['  The cycle:'];
  found.forEach(([s, t, label], i) => {
    lines.push(`    ${ev(s)}`, `      --${label}-->`);
    if (i === found.length - 1) lines.push(`    ${ev(t)}  (back to the start)`);
  });
  lines.push(
    `  Each step orders its two events, so the first would have to come before itself: ${axiom.name} forbids this.`,
  );
  return lines;
}

/**
 * The labelled steps of the cycle that breaks an acyclic or irreflexive axiom, closing back on
 * the first event; for an `empty` axiom, the pair that breaks it; undefined if none is found.
 */
export function cycleSteps(
  x: Execution,
  axiom: Axiom,
  rel: Relation,
  named: Named,
  naming: EventNaming = litmusNaming(x.sk.test),
): Step[] | { a: number; c: number } | undefined {
  if (axiom.check === 'empty') {
    const [first] = rel.pairs();
    return first && { a: first[0], c: first[1] };
  }
  let cycle: number[] | undefined;
  if (axiom.check === 'irreflexive') {
    for (let i = 0; i < rel.n && !cycle; i++) if (rel.has(i, i)) cycle = [i];
  } else cycle = findCycle(rel);
  if (!cycle) return undefined;
  const stepper = new Stepper(x, base(x), named, naming);
  return cycle.flatMap((from, i) => stepper.edge(axiom, from, cycle[(i + 1) % cycle.length]!));
}

export type Step = [from: number, to: number, label: string];

/** Splits edges of the model's relations into labelled steps. */
class Stepper {
  constructor(
    private readonly x: Execution,
    private readonly b: Base,
    private readonly named: Named,
    private readonly naming: EventNaming,
  ) {}

  private get(name: string): Relation | undefined {
    return this.named?.get(name);
  }

  /** Edge (a, c) of the relation an axiom failed on. */
  edge(axiom: Axiom, a: number, c: number): Step[] {
    const hb = this.get('hb');
    const pb = this.get('pb');
    switch (axiom.name) {
      case 'propagation':
        return this.split(
          a,
          c,
          [this.get('prop'), this.get('strong-fence'), hb && star(hb)],
          [
            (s, t) => this.prop(s, t),
            (s, t) => [[s, t, `strong fence: ${this.fence(s, t)}`]],
            (s, t) => this.hbStar(s, t),
          ],
        );
      case 'rcu':
        return this.split(
          a,
          c,
          [this.get('prop'), this.get('rcu-fence'), hb && star(hb), pb && star(pb)],
          [
            (s, t) => this.prop(s, t),
            (s, t) => [[s, t, this.rcu(s, t)]],
            (s, t) => this.hbStar(s, t),
            (s, t) => chain(pb, s, t).map(([p, q]) => [p, q, 'pb']),
          ],
        );
      case 'happens-before':
        return this.hb(a, c);
      default:
        return [[a, c, this.base(a, c)]];
    }
  }

  /** Nodes through `parts`, each hop labelled by its function; the whole edge if it does not split. */
  private split(
    a: number,
    c: number,
    parts: (Relation | undefined)[],
    labels: ((s: number, t: number) => Step[])[],
  ): Step[] {
    if (parts.some((p) => p === undefined)) return [[a, c, 'related']];
    const nodes = pathThrough(a, c, parts as Relation[]);
    if (!nodes) return [[a, c, 'related']];
    return nodes.slice(1).flatMap((t, i) => (nodes[i] === t ? [] : labels[i]!(nodes[i]!, t)));
  }

  private hbStar(s: number, t: number): Step[] {
    return chain(this.get('hb'), s, t).flatMap(([p, q]) => this.hb(p, q));
  }

  /** A step of hb: rfe, a part of ppo, or prop within one CPU (split further). */
  private hb(s: number, t: number): Step[] {
    const { b, x } = this;
    if (b.rfe.has(s, t)) return [[s, t, 'rfe']];
    if (!this.get('ppo')?.has(s, t)) return this.prop(s, t);
    const sk = x.sk;
    const deps: [Relation, string][] = [
      [sk.addr, 'address dependency'],
      [sk.data, 'data dependency'],
      [sk.ctrl, 'control dependency'],
    ];
    for (const [r, what] of deps) if (r.has(s, t)) return [[s, t, `ppo: ${what}`]];
    for (const [name, what] of [
      ['acq-po', 'acquire'],
      ['po-rel', 'release'],
      ['po-unlock-lock-po', 'unlock then lock'],
    ] as const) {
      if (this.get(name)?.has(s, t)) return [[s, t, `ppo: ${what}`]];
    }
    for (const f of ['mb', 'gp', 'wmb', 'rmb'])
      if (this.get(f)?.has(s, t)) return [[s, t, `ppo: ${this.fence(s, t)}`]];
    if (b.coi.has(s, t) || b.fri.has(s, t)) return [[s, t, 'ppo: overwrite in the same CPU']];
    return [[s, t, 'ppo']];
  }

  /** prop = (overwrite & ext)? ; cumul-fence* ; rfe? */
  private prop(s: number, t: number): Step[] {
    const { b } = this;
    const cumul = this.get('cumul-fence');
    const overwriteExt = union(b.coe, b.fre);
    return this.split(
      s,
      t,
      [opt(overwriteExt), cumul && star(cumul), opt(b.rfe)],
      [
        (p, q) => [[p, q, b.fre.has(p, q) ? 'fre' : 'coe']],
        (p, q) => chain(cumul, p, q).flatMap(([u, v]) => this.cumul(u, v)),
        (p, q) => [[p, q, 'rfe']],
      ],
    );
  }

  /** cumul-fence = (rfe ; [Marked])? ; (strong-fence | po-rel) or wmb or po-unlock-lock-po, then an rmw-sequence. */
  private cumul(s: number, t: number): Step[] {
    const { b } = this;
    const fences = union(
      ...['strong-fence', 'po-rel', 'wmb', 'po-unlock-lock-po'].flatMap((n) => this.get(n) ?? []),
    );
    const rmwSeq = this.get('rmw-sequence') ?? id(b.n);
    return this.split(
      s,
      t,
      [opt(b.rfe), fences, rmwSeq],
      [
        (p, q) => [[p, q, 'rfe']],
        (p, q) => [[p, q, `cumulative fence: ${this.fence(p, q)}`]],
        (p, q) => [[p, q, 'rmw-sequence']],
      ],
    );
  }

  /** rf, co, fr (internal or external), po-loc, or the model's own named relations. */
  private base(s: number, t: number): string {
    const { b, named } = this;
    const pairs: [string, Relation][] = [
      ['rfe', b.rfe],
      ['rfi', b.rfi],
      ['coe', b.coe],
      ['coi', b.coi],
      ['fre', b.fre],
      ['fri', b.fri],
      ['po-loc', b.poLoc],
    ];
    const basic = pairs.find(([, r]) => r.has(s, t))?.[0];
    if (basic) return basic;
    // The model's own relations (a cat file's by their names): the most specific that holds it.
    let best: [string, number] | undefined;
    for (const [name, r] of named ?? []) {
      if (!r.has(s, t)) continue;
      const size = pairCount(r);
      if (!best || size < best[1]) best = [name, size];
    }
    return best?.[0] ?? (b.po.has(s, t) ? 'po' : 'related');
  }

  /** rcu-fence: name the grace periods and the read-side critical sections of the two threads. */
  private rcu(s: number, t: number): string {
    const sk = this.x.sk;
    const threads = new Set([sk.events[s]!.thread, sk.events[t]!.thread]);
    const mine = (annot: string) =>
      sk.events.filter((e) => e.dir === 'F' && e.annot === annot && threads.has(e.thread));
    const gps = mine('sync-rcu').map((e) => this.naming.at(e));
    const css = mine('rcu-lock').map(
      (e) => `${this.naming.thread(e.thread)}'s critical section from ${this.naming.at(e)}`,
    );
    const what = [...gps, ...css].join(', ');
    return `rcu-fence: a grace period outlasts every critical section it overlaps (${what || 'rcu-order'})`;
  }

  /** The fence, release, acquire or lock between two events of one thread that orders them. */
  private fence(s: number, t: number): string {
    const sk = this.x.sk;
    const es = sk.events[s]!;
    const et = sk.events[t]!;
    const inRange = (e: (typeof sk.events)[number]) =>
      e.thread === es.thread &&
      e.poIndex >= es.poIndex &&
      (e.thread !== et.thread || e.poIndex <= et.poIndex);
    const candidates = sk.events.filter(inRange);
    const fence =
      candidates.find((e) => e.dir === 'F' && e.annot !== 'rcu-lock' && e.annot !== 'rcu-unlock') ??
      candidates.find((e) => e.annot === 'mb' || e.annot === 'release' || e.lock === 'UL') ??
      (et.annot === 'release' ? et : undefined);
    return fence ? this.naming.at(fence) : 'po';
  }
}

function pairCount(r: Relation): number {
  let n = 0;
  for (let k = 0; k < r.rows.length; k++) {
    let w = r.rows[k]!;
    while (w !== 0) {
      w &= w - 1;
      n++;
    }
  }
  return n;
}

/** Nodes a = x0, x1, ..., xk = c with (x(i-1), xi) in parts[i-1]; undefined if none. */
function pathThrough(a: number, c: number, parts: Relation[]): number[] | undefined {
  const parent: Map<number, number>[] = [];
  let layer = new Set([a]);
  for (const p of parts) {
    const next = new Map<number, number>();
    for (const s of layer) for (const t of p.successors(s)) if (!next.has(t)) next.set(t, s);
    parent.push(next);
    layer = new Set(next.keys());
  }
  if (!layer.has(c)) return undefined;
  const nodes = [c];
  for (let i = parts.length - 1; i >= 0; i--) nodes.unshift(parent[i]!.get(nodes[0]!)!);
  return nodes;
}

/** Shortest path from s to t in r, as its edges. */
function chain(r: Relation | undefined, s: number, t: number): [number, number][] {
  if (!r || s === t) return [];
  const parent = new Map<number, number>([[s, s]]);
  const queue = [s];
  for (let i = 0; i < queue.length && !parent.has(t); i++) {
    for (const q of r.successors(queue[i]!)) {
      if (parent.has(q)) continue;
      parent.set(q, queue[i]!);
      queue.push(q);
    }
  }
  if (!parent.has(t)) return [[s, t]];
  const edges: [number, number][] = [];
  for (let q = t; q !== s; q = parent.get(q)!) edges.unshift([parent.get(q)!, q]);
  return edges;
}
