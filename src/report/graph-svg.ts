// DOT text to SVG, in this process, with Graphviz compiled to WebAssembly (@viz-js/viz): the
// pictures are drawn when the report is written, so the site needs no script and no network.
// The WebAssembly module is loaded once, on first use (it costs ~100 ms; commands that draw
// nothing never load it).

import type { Viz } from '@viz-js/viz';
import { DOT_ENGINE } from './graph-dot.ts';

let viz: Promise<Viz> | undefined;

export async function dotToSvg(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => m.instance());
  const result = (await viz).render(dot, { format: 'svg', engine: DOT_ENGINE });
  if (result.status !== 'success')
    throw new Error(`graphviz: ${result.errors.map((e) => e.message).join('; ')}\n${dot}`);
  // The XML prologue and DOCTYPE are for a file of its own; inline in HTML, the <svg> suffices.
  return result.output.slice(result.output.indexOf('<svg'));
}
