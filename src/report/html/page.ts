// The frame every page of the HTML report shares: escaping, the document shell and its style
// sheet (inline: the site is a folder of files that opens from disk, with no script and no
// network).

/** Text for HTML content and attribute values. */
export const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 96em; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ccc; padding: .2em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: .6em; overflow-x: auto; }
.FAIL { background: #f8d7da; color: #721c24; font-weight: bold; }
.OK { background: #d4edda; color: #155724; }
.WARN { background: #fff3cd; color: #856404; }
.forbidden { color: #b00020; font-weight: bold; }
.interesting { color: #8a5a00; }
.graph svg { max-width: 100%; height: auto; }
.note { color: #666; }
`;

export function page(title: string, body: string, up?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
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

/** A table from a header row and body rows of ready HTML cells. */
export function htmlTable(header: string[], rows: string[][], attrs = ''): string {
  const head = `<tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n');
  return `<table ${attrs}>\n${head}\n${body}\n</table>`;
}

export const td = (html: string, cls = ''): string =>
  cls ? `<td class="${cls}">${html}</td>` : `<td>${html}</td>`;
