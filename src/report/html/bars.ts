// Bar charts as inline SVG, drawn here (no chart library: a bar is a rect): a histogram of final
// states, or any labelled counts. The log scale (`report --log`) shows the rare states that a
// linear scale draws as nothing — a relaxed outcome seen 3 times in 1,000,000 runs.

import { esc } from './page.ts';

export interface Bar {
  label: string;
  value: number;
  /** A class for the bar and its label: forbidden, interesting, … */
  cls?: string;
  /** Text after the count (the grade). */
  note?: string;
}

const BAR_PX = 18;
const LABEL_PX = 230;
const WIDTH_PX = 360;

const FILL: Record<string, string> = { forbidden: '#c62828', interesting: '#ef8f00' };

export function barChart(title: string, bars: Bar[], log: boolean): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const scale = (v: number) =>
    v <= 0 ? 0 : log ? (Math.log10(v + 1) / Math.log10(max + 1)) * WIDTH_PX : (v / max) * WIDTH_PX;
  const height = bars.length * BAR_PX + 24;
  const rows = bars.map((b, i) => {
    const y = 20 + i * BAR_PX;
    const w = Math.max(b.value > 0 ? 1 : 0, scale(b.value));
    return (
      `<text x="${LABEL_PX - 6}" y="${y + 12}" text-anchor="end" font-family="monospace" font-size="12">${esc(b.label)}</text>` +
      `<rect class="bar ${esc(b.cls ?? '')}" x="${LABEL_PX}" y="${y + 2}" width="${w.toFixed(1)}" height="${BAR_PX - 4}" fill="${FILL[b.cls ?? ''] ?? '#4a7bd0'}"><title>${esc(`${b.label}: ${b.value.toLocaleString('en-US')}`)}</title></rect>` +
      `<text x="${LABEL_PX + w + 6}" y="${y + 12}" font-size="12">${b.value.toLocaleString('en-US')}${b.note ? ` ${esc(b.note)}` : ''}</text>`
    );
  });
  return `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="${LABEL_PX + WIDTH_PX + 200}" height="${height}" role="img" aria-label="${esc(title)}">
<text x="0" y="13" font-size="13" font-weight="bold">${esc(title)}${log ? ' (log scale)' : ''}</text>
${rows.join('\n')}
</svg>`;
}
