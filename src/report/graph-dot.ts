// An execution graph (src/model/explain-graph.ts) as Graphviz DOT text, laid out the way herd7
// draws executions: one column per thread, events top to bottom in program order, initial
// writes in a column of their own. The positions are fixed (neato with pinned nodes): dot's
// own ranking reorders columns to cut crossings, and its cluster ranking crashed on some tests.
// Edges are straight lines; their labels are placed here, not by Graphviz, which puts every
// label at its edge's middle, where SB's and MP's crossing rf and fr edges meet: each label goes
// to the first point along its edge where it overlaps no event and no label placed before it.
// Events are lettered a, b, c… as herd7 letters them.

import type {
  EdgeKind,
  ExecutionGraph,
  GraphEdge,
  GraphNode,
} from '../model/explain/explain-graph.ts';

/** herd7's colours: rf red, co blue, fr orange; the forbidding cycle drawn bold over them. */
const EDGE_STYLE: Record<EdgeKind, string> = {
  po: 'color=black',
  rf: 'color=red fontcolor=red',
  co: 'color=blue fontcolor=blue',
  fr: 'color=darkorange fontcolor=darkorange',
  cycle: 'color=purple fontcolor=purple penwidth=2.5 style=bold',
};

/** A DOT string literal: only `"` and `\` need escaping; newlines become DOT's \n. */
const quote = (s: string): string => `"${s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`;

/** `a`, `b`, … `z`, `aa`, …: herd7's event names. */
const letter = (i: number): string =>
  (i >= 26 ? letter(Math.floor(i / 26) - 1) : '') + String.fromCharCode(97 + (i % 26));

/**
 * Where the events sit, in inches (neato's unit for pos): columns per thread, rows in program
 * order, the first row close under the column heads (no empty band).
 */
const COLUMN_IN = 3.2;
const ROW_IN = 1.4;
const HEAD_IN = 0.7;
/** Sizes for placing labels, in inches: an event's box, a label's character and line. */
const NODE_W_IN = 1.9;
const NODE_H_IN = 0.5;
const LABEL_CHAR_IN = 0.075;
const LABEL_H_IN = 0.2;
/** Where along an edge a label may go, tried in this order (0: tail, 1: head). */
const ALONG = [0.5, 0.36, 0.64, 0.26, 0.74, 0.43, 0.57, 0.18, 0.82];

/** Layout by position (neato with pinned nodes): the picture stays herd7's grid whatever the edges. */
export const DOT_ENGINE = 'neato';

export function graphToDot(g: ExecutionGraph): string {
  const title =
    g.verdict === 'witness'
      ? `${g.test}: a witness execution under ${g.model}`
      : g.verdict === 'forbidden'
        ? `${g.test}: forbidden under ${g.model} by ${g.axiom} (the cycle in bold)`
        : `${g.test}: no execution reaches the condition under ${g.model}`;
  const names = new Map(
    g.nodes.filter((n) => n.thread >= 0).map((n, i) => [n.id, letter(i)] as const),
  );
  const lines = [
    'digraph execution {',
    `  label=${quote(title)}; labelloc=t; fontname="Helvetica"; fontsize=14;`,
    '  splines=false; overlap=true; outputorder=edgesfirst;',
    '  node [shape=box style="rounded,filled" fillcolor=white fontname="Helvetica" fontsize=12];',
    '  edge [fontname="Helvetica" fontsize=10];',
  ];
  const columns: [string, GraphNode[]][] = [
    ['init', g.nodes.filter((n) => n.thread < 0)],
    ...g.threads.map((t, i): [string, GraphNode[]] => [
      g.threadNames?.[i] ? `P${t} ${g.threadNames[i]}` : `P${t}`,
      g.nodes.filter((n) => n.thread === t),
    ]),
  ];
  const at = new Map<number, Point>();
  columns
    .filter(([, nodes]) => nodes.length > 0)
    .forEach(([label, nodes], col) => {
      const x = col * COLUMN_IN;
      lines.push(`  h${col} [label=${quote(label)} shape=plaintext fontsize=14 pos="${x},0!"];`);
      nodes.forEach((n, row) => {
        const name = names.get(n.id);
        const text = `${name ? `${name}: ` : ''}${n.label}\n${n.at}`;
        const y = -(HEAD_IN + row * ROW_IN);
        at.set(n.id, { x, y });
        lines.push(`  e${n.id} [label=${quote(text)} pos="${x},${y}!"];`);
      });
    });
  const taken: Box[] = [...at.values()].map((p) => box(p, NODE_W_IN, NODE_H_IN));
  mergeCycle(g.edges).forEach((e, i) => {
    lines.push(`  e${e.from} -> e${e.to} [${EDGE_STYLE[e.kind]}];`);
    const from = at.get(e.from);
    const to = at.get(e.to);
    if (!from || !to) return;
    const p = labelPlace(from, to, e.label, taken);
    lines.push(
      `  l${i} [label=${quote(e.label)} shape=plaintext fontsize=10 margin=0 width=0 height=0 ` +
        `style=filled fillcolor=white ${EDGE_STYLE[e.kind].replace(/\bcolor=\S+ /, '').replace(/penwidth=\S+ style=bold/, '')} pos="${p.x.toFixed(2)},${p.y.toFixed(2)}!"];`,
    );
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

interface Point {
  x: number;
  y: number;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const box = (c: Point, w: number, h: number): Box => ({
  x0: c.x - w / 2,
  y0: c.y - h / 2,
  x1: c.x + w / 2,
  y1: c.y + h / 2,
});

const overlaps = (a: Box, b: Box): boolean =>
  a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Where the label of the edge from→to goes: on the line, at the first of ALONG's points where
 * it overlaps nothing in `taken` (which it joins); a program-order edge (a column's own) has
 * its label beside the line, not on it. When every point is taken, the middle.
 */
function labelPlace(from: Point, to: Point, label: string, taken: Box[]): Point {
  const w = label.length * LABEL_CHAR_IN + 0.1;
  const beside = from.x === to.x ? w / 2 + 0.08 : 0;
  const candidates = ALONG.map((t) => ({
    x: from.x + t * (to.x - from.x) + beside,
    y: from.y + t * (to.y - from.y),
  }));
  const free = candidates.find((c) => !taken.some((b) => overlaps(b, box(c, w, LABEL_H_IN))));
  const chosen = free ?? candidates[0]!;
  taken.push(box(chosen, w, LABEL_H_IN));
  return chosen;
}

/**
 * A step of the cycle that runs along an edge already drawn (fre along fr, a fence along po)
 * is drawn once: that edge, in the cycle's style, labelled with both names.
 */
function mergeCycle(edges: GraphEdge[]): GraphEdge[] {
  const key = (e: GraphEdge) => `${e.from}>${e.to}`;
  const steps = new Map(edges.filter((e) => e.kind === 'cycle').map((e) => [key(e), e]));
  const out: GraphEdge[] = [];
  for (const e of edges) {
    if (e.kind === 'cycle') continue;
    const step = steps.get(key(e));
    if (!step) {
      out.push(e);
      continue;
    }
    steps.delete(key(e));
    const relation = relationOf(step);
    out.push({ ...step, label: relation === e.label ? e.label : `${e.label} (${relation})` });
  }
  return [...out, ...[...steps.values()].map((s) => ({ ...s, label: relationOf(s) }))];
}

/**
 * A cycle step's relation, `strong fence` of `strong fence: smp_mb() at 19:2`: on the picture
 * the name is enough (the page lists the steps in full: cycleSteps).
 */
const relationOf = (step: GraphEdge): string => step.label.split(':')[0]!.trim();

/** The steps of the forbidding cycle in full, `a → b: strong fence: smp_mb() at 19:2`. */
export function cycleSteps(g: ExecutionGraph): string[] {
  const names = new Map(
    g.nodes.filter((n) => n.thread >= 0).map((n, i) => [n.id, letter(i)] as const),
  );
  const name = (id: number) => names.get(id) ?? 'init';
  return g.edges
    .filter((e) => e.kind === 'cycle')
    .map((e) => `${name(e.from)} → ${name(e.to)}: ${e.label}`);
}
