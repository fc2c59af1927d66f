// `smplab report`: the static site for a results folder — index.html, one row per run (a test
// or scenario on one host and engine), failures first as jcstress' index puts them, and a page
// per test (test-page.ts). Everything is written as files that open from disk: inline SVG, no
// script, no network.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeRecord, problemText } from '../grade.ts';
import { programResults, type ReadResult, type ResultRecord } from '../records.ts';
import { safeName } from '../results-file.ts';
import { esc, htmlTable, page, td } from './page.ts';
import { type PageOptions, testPage } from './test-page.ts';

export const pageFile = (r: ResultRecord): string => `${safeName(`${r.kind}-${r.name}`)}.html`;

/** Write the site into `outDir`; returns the files written. */
export async function writeSite(
  read: ReadResult,
  outDir: string,
  opts: PageOptions,
): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const byPage = new Map<string, ResultRecord[]>();
  for (const r of read.records) byPage.set(pageFile(r), [...(byPage.get(pageFile(r)) ?? []), r]);
  const written: string[] = [];
  for (const [file, runs] of byPage) {
    writeFileSync(join(outDir, file), await testPage(runs, opts));
    written.push(file);
  }
  writeFileSync(join(outDir, 'index.html'), indexPage(read));
  return ['index.html', ...written];
}

function indexPage(read: ReadResult): string {
  const graded = read.records.map((r) => ({ r, g: gradeRecord(r) }));
  // Failures first, then by name, newest run first.
  graded.sort(
    (a, b) =>
      Number(b.g.failed) - Number(a.g.failed) ||
      a.r.name.localeCompare(b.r.name) ||
      b.r.date.localeCompare(a.r.date),
  );
  const backends = [
    ...new Set(
      read.records.flatMap((r) => [
        ...r.observed.map((o) => o.backend),
        ...programResults(r).map((p) => p.backend),
      ]),
    ),
  ].sort();
  const failed = graded.filter((x) => x.g.failed).length;
  const rows = graded.map(({ r, g }) => {
    const status = g.failed ? 'FAIL' : g.problems.length > 0 ? 'WARN' : 'OK';
    return [
      td(status, status),
      td(`<a href="${esc(pageFile(r))}">${esc(r.name)}</a>`, 'test'),
      td(esc(r.kind)),
      td(esc(r.expected ?? '')),
      td(esc(r.modelAnswer ? `${r.modelAnswer.observation} (${r.modelAnswer.model})` : '')),
      ...backends.map((b) => {
        const program = programResults(r).find((p) => p.backend === b);
        if (program) return programCell(program.result, g.failed);
        const bg = g.backends.find((x) => x.backend === b);
        if (!bg) return td(esc(r.skipped[b] ? 'not run' : ''));
        const text = `${bg.observation} ${bg.positive.toLocaleString('en-US')}/${bg.runs.toLocaleString('en-US')}`;
        return td(esc(text), bg.outside.length > 0 ? 'FAIL' : '');
      }),
      td(esc(r.hostLabel)),
      td(esc(r.engineLabel)),
      td(esc(r.date.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))),
      td(g.problems.map((p) => esc(problemText(p))).join('<br>')),
    ];
  });
  const summary = `<p>${read.records.length} runs of ${new Set(read.records.map((r) => r.name)).size} tests and scenarios; <b>${failed} failed</b>. Observations per backend are witnesses / runs.</p>`;
  const skipped = read.skipped.length
    ? `<h2>Files that are not result records</h2><ul>${read.skipped.map((s) => `<li><code>${esc(s.path)}</code>: ${esc(s.reason)}</li>`).join('')}</ul>`
    : '';
  return page(
    'smplab results',
    summary +
      htmlTable(
        [
          'status',
          'test',
          'kind',
          'expected',
          'model',
          ...backends.map(esc),
          'host',
          'engine',
          'date',
          'problems',
        ],
        rows,
        'id="runs"',
      ) +
      skipped,
  );
}

/** A program scenario's column for one backend: its variants, and how many failed. */
function programCell(result: Record<string, unknown>, failed: boolean): string {
  const variants = Array.isArray(result.variants) ? result.variants.length : 0;
  const failures = Array.isArray(result.failures) ? result.failures.length : 0;
  return td(
    `${variants} variants, ${failures} failure${failures === 1 ? '' : 's'}`,
    failed ? 'FAIL' : '',
  );
}
