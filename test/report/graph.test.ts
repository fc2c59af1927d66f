// The execution graph of --explain as data, as DOT and as SVG: SB with smp_mb() is forbidden
// by propagation through fre, a strong fence, fre, a strong fence; SB without is witnessed by
// an execution where both reads take the initial values (rf from init, fr to the other write).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { explain, findExplanation } from '../../src/model/explain/explain.ts';
import { explainGraph } from '../../src/model/explain/explain-graph.ts';
import { graphToDot } from '../../src/report/graph-dot.ts';
import { dotToSvg } from '../../src/report/graph-svg.ts';
import { smplabIn } from '../cli/smplab.ts';

const LITMUS = fileURLToPath(new URL('../../scenarios/litmus', import.meta.url));
const load = (name: string) => loadLitmus(join(LITMUS, `${name}.litmus`));

test('SB+fencembonceonces: the propagation cycle, step by step', (t) => {
  const g = explainGraph(load('SB+fencembonceonces'), 'lkmm');
  t.is(g.verdict, 'forbidden');
  t.is(g.axiom, 'propagation');
  const label = (id: number) => g.nodes.find((n) => n.id === id)!.label;
  const cycle = g.edges
    .filter((e) => e.kind === 'cycle')
    .map((e) => `${label(e.from)} -${e.label.replace(/ at \d+:\d+/, '')}-> ${label(e.to)}`);
  t.deepEqual(cycle, [
    'R y=0 -fre-> W y=1',
    'W y=1 -strong fence: smp_mb()-> R x=0',
    'R x=0 -fre-> W x=1',
    'W x=1 -strong fence: smp_mb()-> R y=0',
  ]);
  t.deepEqual(
    g.edges.filter((e) => e.kind === 'po').map((e) => e.label),
    ['po smp_mb', 'po smp_mb'],
  );
});

test('SB+poonceonces: a witness with rf from the initial writes and fr to the other thread', async (t) => {
  const g = explainGraph(load('SB+poonceonces'), 'lkmm');
  t.is(g.verdict, 'witness');
  const kinds = g.edges.map((e) => e.kind).sort();
  t.deepEqual(kinds, ['co', 'co', 'fr', 'fr', 'po', 'po', 'rf', 'rf']);
  t.deepEqual(
    g.nodes.filter((n) => n.thread < 0).map((n) => n.label),
    ['W x=0', 'W y=0'],
  );
  const dot = graphToDot(g);
  t.regex(dot, /"a: W x=1\\nWRITE_ONCE at \d+:\d+"/);
  t.regex(dot, /"d: R x=0\\nREAD_ONCE at \d+:\d+"/);
  const svg = await dotToSvg(dot);
  t.true(svg.startsWith('<svg'));
  const titles = [...svg.matchAll(/<g id="node\d+" class="node">\s*<title>(\w)\d+<\/title>/g)].map(
    (m) => m[1],
  );
  t.is(titles.filter((k) => k === 'e').length, 6, 'six events');
  t.is(titles.filter((k) => k === 'h').length, 3, 'three column heads');
  t.is(titles.filter((k) => k === 'l').length, 8, 'a label for each edge');
  t.is([...svg.matchAll(/class="edge"/g)].length, 8);
});

test('--explain and --dot tell and draw one search: the one they are given', (t) => {
  const sb = load('SB+poonceonces');
  const found = findExplanation(sb, 'lkmm');
  t.truthy(found.witness);
  t.is(explainGraph(sb, 'lkmm', found).verdict, 'witness');
  t.regex(explain(sb, 'lkmm', found)[0]!, /is reachable/);
  // A search that found nothing: both say so, neither searches again.
  const none = { rejected: [], reaching: 0 };
  t.is(explainGraph(sb, 'lkmm', none).verdict, 'unreached');
  t.regex(explain(sb, 'lkmm', none)[0]!, /is never reached/);
});

test('run --explain --dot --svg writes the picture for one test', async (t) => {
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-dot-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const [dot, svg] = [join(dir, 'mp.dot'), join(dir, 'mp.svg')];
  const r = await smplabIn(
    dir,
    'run',
    'MP+poonceonces',
    '--on',
    'model',
    '--explain',
    '--dot',
    dot,
    '--svg',
    svg,
  );
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /Execution graph \(lkmm\) written to .*mp\.dot and .*mp\.svg/);
  t.regex(
    readFileSync(dot, 'utf8'),
    /^digraph execution \{\n {2}label="MP\+poonceonces: a witness execution under lkmm"/,
  );
  t.regex(readFileSync(svg, 'utf8'), /^<svg[\s\S]*<title>e\d+<\/title>/);
});
