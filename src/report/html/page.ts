// The frame every page of the HTML report shares: escaping, the document shell and its style
// sheet (inline: the site is a folder of files that opens from disk, with no script and no
// network). Everything a record holds is data: it reaches a page only through esc() (text and
// attribute values alike) or num() (a count), never raw. The style fits a 1280 px screen and,
// below 700 px, turns each table row into a card of labelled cells, so a phone can read it.

/** Text for HTML content and attribute values. */
export const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A count as text (1,234); anything that is not a finite number shows as '?'. */
export const num = (v: unknown): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString('en-US') : '?';

/** A test name with break opportunities after its '+' (kernel names are long). */
export const breakable = (name: string): string => esc(name).replace(/\+/g, '+<wbr>');

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.2em auto; max-width: 80em; color: #222; padding: 0 1em; }
h1 { font-size: 1.45em; overflow-wrap: anywhere; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.05em; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .25em .55em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, pre { font-size: 12.5px; }
code { overflow-wrap: anywhere; }
pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: .6em; overflow-x: auto; }
.id { color: #666; font-size: 12px; overflow-wrap: anywhere; display: block; }
.sub { color: #666; font-size: 12px; display: block; }
.FAIL { background: #f8d7da; color: #721c24; font-weight: bold; }
.OK { background: #d4edda; color: #155724; }
.WARN { background: #fff3cd; color: #856404; }
.failure { background: #f8d7da; color: #721c24; font-weight: bold; }
.interesting { color: #8a5a00; }
.quiet { color: #777; }
.graph svg, svg.chart { max-width: 100%; height: auto; }
.graph, .chartbox { overflow-x: auto; }
.note { color: #666; }
p.notes { white-space: pre-line; }
details > summary { cursor: pointer; font-weight: 600; margin: .8em 0 .3em; }
table.wide { width: 100%; }
@media (max-width: 700px) {
  body { padding: 0 .5em; margin: .6em auto; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: auto; }
  table.cards thead, table.cards tr.head { display: none; }
  table.cards tr { border: 1px solid #ccc; margin: .6em 0; }
  table.cards td { border: none; border-bottom: 1px solid #eee; text-align: left; white-space: normal; }
  table.cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: #555; }
  table.cards td:empty { display: none; }
  table:not(.cards) { display: block; overflow-x: auto; max-width: 100%; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  .graph svg, svg.chart { max-width: none; }
}
`;

export function page(title: string, body: string, up?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${up ? `<p><a href="${esc(up)}">← all tests</a></p>` : ''}
<h1>${esc(title)}</h1>
${body}
</body>
</html>
`;
}

/**
 * A table from a header row (ready HTML) and body rows of ready HTML cells. Each cell is given
 * its column's name as data-label, which the phone layout shows beside it.
 */
export function htmlTable(header: string[], rows: Cell[][], attrs = ''): string {
  const head = `<tr class="head">${header.map((h) => `<th>${h}</th>`).join('')}</tr>`;
  const label = header.map((h) => h.replace(/<[^>]*>/g, ''));
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => c(label[i] ?? '')).join('')}</tr>`)
    .join('\n');
  return `<table ${attrs}>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A cell, given its column's label. */
export type Cell = (label: string) => string;

/** A cell of ready HTML; `cls` is a list of class names, escaped. */
export const td =
  (html: string, cls = ''): Cell =>
  (label) =>
    `<td${cls ? ` class="${esc(cls)}"` : ''}${label ? ` data-label="${label}"` : ''}>${html}</td>`;
