// An execution graph (src/model/explain-graph.ts) as Graphviz DOT text, laid out the way herd7
// draws executions: one column per thread, events top to bottom in program order, initial
// writes in a column of their own. The positions are fixed (neato with pinned nodes): dot's
// own ranking reorders columns to cut crossings, and its cluster ranking crashed on some tests.
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

/** Where the events sit, in inches (neato's unit for pos): columns per thread, rows in program order. */
const COLUMN_IN = 3.2;
const ROW_IN = 1.4;

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
    '  splines=true; overlap=true; outputorder=edgesfirst;',
    '  node [shape=box style="rounded,filled" fillcolor=white fontname="Helvetica" fontsize=12];',
    '  edge [fontname="Helvetica" fontsize=10];',
  ];
  const columns: [string, GraphNode[]][] = [
    ['init', g.nodes.filter((n) => n.thread < 0)],
    ...g.threads.map((t): [string, GraphNode[]] => [
      `P${t}`,
      g.nodes.filter((n) => n.thread === t),
    ]),
  ];
  columns
    .filter(([, nodes]) => nodes.length > 0)
    .forEach(([label, nodes], col) => {
      const x = col * COLUMN_IN;
      lines.push(`  h${col} [label=${quote(label)} shape=plaintext fontsize=14 pos="${x},0!"];`);
      nodes.forEach((n, row) => {
        const name = names.get(n.id);
        const text = `${name ? `${name}: ` : ''}${n.label}\n${n.at}`;
        lines.push(`  e${n.id} [label=${quote(text)} pos="${x},${-(row + 1) * ROW_IN}!"];`);
      });
    });
  for (const e of mergeCycle(g.edges))
    lines.push(`  e${e.from} -> e${e.to} [label=${quote(e.label)} ${EDGE_STYLE[e.kind]}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
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
    out.push({ ...step, label: `${e.label}: ${step.label}` });
  }
  return [...out, ...steps.values()];
}
