// `smplab report`: the static site for a results folder — index.html with one row per test
// (index-page.ts) and one page per test (test-page.ts, scenario-page.ts), a test being its
// file's hash (tests.ts). Everything is written as files that open from disk: inline SVG, no
// script, no network. A page that cannot be drawn is left out with the reason, and the others
// are written; a signal stops the site between two pages.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gradeRecord } from '../grade.ts';
import type { ReadResult } from '../records.ts';
import { makeDirs } from '../results-file.ts';
import { indexPage } from './index-page.ts';
import { scenarioPage } from './scenario-page.ts';
import { type PageOptions, testPage } from './test-page.ts';
import { groupRuns } from './tests.ts';

export interface Site {
  /** The files written, index.html first. */
  written: string[];
  /** Pages left out, with why. */
  failed: { page: string; reason: string }[];
  /** A signal came: the site stops where it was (index.html lists what was written). */
  interrupted: boolean;
}

export interface SiteHooks {
  /** A page was written (its file name): progress for whoever waits on the site. */
  onPage?: (page: string) => void;
}

/** Write the site into `outDir`. */
export async function writeSite(
  read: ReadResult,
  outDir: string,
  opts: PageOptions,
  signal?: AbortSignal,
  hooks: SiteHooks = {},
): Promise<Site> {
  makeDirs(outDir);
  const groups = groupRuns(read.records);
  const site: Site = { written: [], failed: [], interrupted: false };
  for (const g of groups) {
    // Between two pages the event loop runs: Ctrl-C and SIGTERM are heard.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) {
      site.interrupted = true;
      break;
    }
    try {
      const html = g.kind === 'program' ? await scenarioPage(g, opts) : await testPage(g, opts);
      writeFileSync(join(outDir, g.page), html);
      site.written.push(g.page);
      hooks.onPage?.(g.page);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code) throw e;
      site.failed.push({ page: g.page, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  const grades = new Map(read.records.map((r) => [r, gradeRecord(r)]));
  const drawn = new Set(site.written);
  writeFileSync(join(outDir, 'index.html'), indexPage(groups, grades, drawn, read, site));
  site.written.unshift('index.html');
  return site;
}
