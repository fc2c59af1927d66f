// Bar charts as inline SVG, drawn here (no chart library: a bar is a rect): a histogram of final
// states, or any labelled counts. The log scale (`report --log`) shows the rare states that a
// linear scale draws as nothing — a relaxed outcome seen 3 times in 1,000,000 runs. A chart has
// at most MAX_BARS bars (a record may hold 200,000 states): the marked ones (outside the model,
// witnesses) first, then the most frequent; what is left out is said under the chart.

import { esc, num } from './page.ts';

export interface Bar {
  label: string;
  value: number;
  /** A class for the bar and its label: forbidden, interesting, … */
  cls?: string;
  /** Text after the count (the grade). */
  note?: string;
}

/** The most bars one chart draws. */
export const MAX_BARS = 64;

const BAR_PX = 18;
const LABEL_PX = 230;
const WIDTH_PX = 360;

const FILL: Record<string, string> = { forbidden: '#c62828', interesting: '#ef8f00' };

/** The bars drawn (in their given order) and a note on those left out, if any. */
export function boundBars(bars: Bar[]): { shown: Bar[]; note: string } {
  if (bars.length <= MAX_BARS) return { shown: bars, note: '' };
  const rank = (b: Bar) => (b.cls === 'forbidden' ? 0 : b.cls ? 1 : 2);
  const kept = new Set(
    [...bars].sort((a, b) => rank(a) - rank(b) || b.value - a.value).slice(0, MAX_BARS),
  );
  const left = bars.filter((b) => !kept.has(b));
  const runs = left.reduce((n, b) => n + b.value, 0);
  return {
    shown: bars.filter((b) => kept.has(b)),
    note: `${num(left.length)} more states (${num(runs)} runs in all) are not drawn: the ${MAX_BARS} drawn are those marked first, then the most frequent.`,
  };
}

export function barChart(title: string, all: Bar[], log: boolean): string {
  const { shown: bars, note } = boundBars(all);
  const max = Math.max(1, ...bars.map((b) => b.value));
  const scale = (v: number) =>
    v <= 0 ? 0 : log ? (Math.log10(v + 1) / Math.log10(max + 1)) * WIDTH_PX : (v / max) * WIDTH_PX;
  const height = bars.length * BAR_PX + 24;
  const rows = bars.map((b, i) => {
    const y = 20 + i * BAR_PX;
    const w = Math.max(b.value > 0 ? 1 : 0, scale(b.value));
    const fill = FILL[b.cls ?? ''] ?? '#4a7bd0';
    return (
      `<text x="${LABEL_PX - 6}" y="${y + 12}" text-anchor="end" font-family="monospace" font-size="12">${esc(b.label)}</text>` +
      `<rect class="bar ${esc(b.cls ?? '')}" x="${LABEL_PX}" y="${y + 2}" width="${w.toFixed(1)}" height="${BAR_PX - 4}" fill="${fill}"><title>${esc(`${b.label}: ${num(b.value)}`)}</title></rect>` +
      `<text x="${(LABEL_PX + w + 6).toFixed(1)}" y="${y + 12}" font-size="12">${num(b.value)}${b.note ? ` ${esc(b.note)}` : ''}</text>`
    );
  });
  const svg = `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${LABEL_PX + WIDTH_PX + 230} ${height}" width="${LABEL_PX + WIDTH_PX + 230}" height="${height}" role="img" aria-label="${esc(title)}">
<text x="0" y="13" font-size="13" font-weight="bold">${esc(title)}${log ? ' (log scale)' : ''}</text>
${rows.join('\n')}
</svg>`;
  return `<div class="chartbox">${svg}</div>${note ? `\n<p class="note">${esc(note)}</p>` : ''}`;
}
