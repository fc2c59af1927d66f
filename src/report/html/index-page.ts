// index.html of the report: one row per test, as jcstress' index has one per test class —
// failures first, then by name. A row summarises the test's runs behind it: per backend, the
// witnesses and runs summed over every host and engine it ran on (a litmus test), or the
// variants and failures (a program scenario); how many runs, hosts and engines; the last date.
// The runs themselves are on the test's page.

import { observationOf } from '../../litmus/ir.ts';
import type { Grade } from '../grade.ts';
import { programResults, type ReadResult, type ResultRecord } from '../records.ts';
import { breakable, type Cell, esc, htmlTable, num, page, td } from './page.ts';
import type { TestGroup } from './tests.ts';

export function indexPage(
  groups: TestGroup[],
  grades: Map<ResultRecord, Grade>,
  drawn: Set<string>,
  read: ReadResult,
  site: { interrupted: boolean; failed: { page: string; reason: string }[] },
): string {
  const failed = (g: TestGroup) => g.runs.some((r) => grades.get(r)?.failed);
  const sorted = [...groups].sort(
    (a, b) => Number(failed(b)) - Number(failed(a)) || a.name.localeCompare(b.name),
  );
  const backends = [
    ...new Set(
      read.records.flatMap((r) => [
        ...r.observed.map((o) => o.backend),
        ...programResults(r).map((p) => p.backend),
      ]),
    ),
  ]
    // The model has its own column: a litmus test's verdict, or a scenario's explored variants.
    .filter((b) => b !== 'model')
    .sort();
  const rows = sorted.map((g) => [
    statusCell(g, grades),
    testCell(g, drawn),
    td(esc(g.runs.at(-1)?.expected ?? '')),
    g.kind === 'program' ? programCell(g, 'model') : td(esc(modelText(g))),
    ...backends.map((b) => (g.kind === 'program' ? programCell(g, b) : litmusCell(g, b, grades))),
    runsCell(g),
    td(
      esc(
        g.runs
          .at(-1)!
          .date.replace('T', ' ')
          .replace(/\.\d+Z$/, 'Z'),
      ),
      'num',
    ),
  ]);
  const failures = sorted.filter(failed).length;
  const parts = [
    `<p>${num(groups.length)} tests and scenarios, ${num(read.records.length)} runs; <b>${num(failures)} failed</b>. ` +
      'A backend’s cell sums its runs on every host and engine: the Observation, witnesses / runs. ' +
      'A test is its file: two files of one name are two rows.</p>',
    htmlTable(
      ['status', 'test', 'expected', 'model', ...backends.map(esc), 'runs', 'last run'],
      rows,
      'id="tests" class="cards wide"',
    ),
  ];
  if (site.interrupted)
    parts.push(
      '<p class="WARN">Interrupted: the pages of the tests not linked above were not written.</p>',
    );
  if (site.failed.length)
    parts.push(
      '<h2>Pages not written</h2>',
      `<ul>${site.failed.map((f) => `<li><code>${esc(f.page)}</code>: ${esc(f.reason)}</li>`).join('')}</ul>`,
    );
  if (read.skipped.length)
    parts.push(
      '<h2>Files that are not result records</h2>',
      `<ul>${read.skipped.map((s) => `<li><code>${esc(s.path)}</code>: ${esc(s.reason)}</li>`).join('')}</ul>`,
    );
  return page('smplab results', parts.join('\n'));
}

function statusCell(g: TestGroup, grades: Map<ResultRecord, Grade>): Cell {
  const gs = g.runs.map((r) => grades.get(r)!);
  const status = gs.some((x) => x.failed)
    ? 'FAIL'
    : gs.some((x) => x.problems.length)
      ? 'WARN'
      : 'OK';
  return td(status, status);
}

function testCell(g: TestGroup, drawn: Set<string>): Cell {
  const name = drawn.has(g.page)
    ? `<a href="${esc(g.page)}">${breakable(g.name)}</a>`
    : breakable(g.name);
  const files = [...new Set(g.runs.map((r) => r.file).filter(Boolean))];
  const id = `${files.map(esc).join(', ') || 'file not recorded'}${g.hash ? ` · ${esc(g.hash.slice(0, 12))}` : ''}`;
  return td(`${name}<span class="id">${id}</span>`, 'test');
}

/** The model's verdict, as the latest run that has one says it (with the model's name). */
function modelText(g: TestGroup): string {
  const m = [...g.runs].reverse().find((r) => r.modelAnswer)?.modelAnswer;
  return m ? `${m.observation} (${m.model})` : '';
}

/** A backend's runs of a litmus test summed: Observation, witnesses / runs, runs and engines. */
function litmusCell(g: TestGroup, backend: string, grades: Map<ResultRecord, Grade>): Cell {
  let positive = 0;
  let runs = 0;
  let outside = 0;
  const engines = new Set<string>();
  let count = 0;
  for (const r of g.runs) {
    const bg = grades.get(r)?.backends.find((b) => b.backend === backend);
    if (!bg) continue;
    count++;
    positive += bg.positive;
    runs += bg.runs;
    outside += bg.outside.length;
    engines.add(`${r.hostLabel} ${r.engineLabel}`);
  }
  if (count === 0) {
    const why = g.runs.map((r) => r.skipped[backend]).find(Boolean);
    return td(why ? '<span class="quiet">not run</span>' : '');
  }
  const text =
    `<b>${esc(observationOf(positive, runs - positive))}</b> ${num(positive)} / ${num(runs)}` +
    `${outside ? `<span class="sub">${plural(outside, 'state')} outside the model</span>` : ''}` +
    `<span class="sub">${plural(count, 'run')}${engines.size > 1 ? ` on ${num(engines.size)} hosts and engines` : ''}</span>`;
  return td(text, outside ? 'FAIL' : '');
}

/** A backend's runs of a program scenario: variants run and failures seen. */
function programCell(g: TestGroup, backend: string): Cell {
  const results = g.runs.flatMap((r) => programResults(r).filter((p) => p.backend === backend));
  if (results.length === 0) return td('');
  const failures = results.reduce(
    (n, p) => n + (Array.isArray(p.result.failures) ? p.result.failures.length : 0),
    0,
  );
  const variants = Math.max(
    ...results.map((p) => (Array.isArray(p.result.variants) ? p.result.variants.length : 0)),
  );
  return td(
    `${plural(variants, 'variant')}, ${plural(failures, 'failure')}<span class="sub">${plural(results.length, 'run')}</span>`,
    failures ? 'FAIL' : '',
  );
}

function runsCell(g: TestGroup): Cell {
  const hosts = new Set(g.runs.map((r) => r.hostLabel)).size;
  const engines = new Set(g.runs.map((r) => r.engineLabel)).size;
  return td(
    `${plural(g.runs.length, 'run')}<span class="sub">${plural(hosts, 'host')} · ${plural(engines, 'engine')}</span>`,
  );
}

const plural = (n: number, word: string): string => `${num(n)} ${word}${n === 1 ? '' : 's'}`;
