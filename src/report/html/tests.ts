// The tests of a report: its runs grouped by what they ran — a test is its file's hash, not its
// name, so runs of two files that share a name (or whose names differ only where a file name
// cannot) are two tests with pages of their own.

import { createHash } from 'node:crypto';
import type { ResultRecord } from '../records.ts';
import { safeName } from '../results-file.ts';

/** The runs of one test: one file's text (its hash), and the page they get. */
export interface TestGroup {
  kind: string;
  name: string;
  hash: string | undefined;
  /** The page's file name. */
  page: string;
  /** Oldest first. */
  runs: ResultRecord[];
}

/** Runs grouped by test (kind, name and hash), in the order of their first run. */
export function groupRuns(records: ResultRecord[]): TestGroup[] {
  const groups = new Map<string, TestGroup>();
  for (const r of records) {
    const key = JSON.stringify([r.kind, r.name, r.hash ?? '']);
    const g = groups.get(key);
    if (g) g.runs.push(r);
    else
      groups.set(key, { kind: r.kind, name: r.name, hash: r.hash, page: pageFile(r), runs: [r] });
  }
  return [...groups.values()];
}

/** `litmus-SB+poonceonces-2a0d5bf5.html`: the name, and the hash that tells files apart. */
function pageFile(r: ResultRecord): string {
  const id = r.hash ?? createHash('sha256').update(r.name).digest('hex');
  return `${safeName(`${r.kind}-${r.name}`)}-${id.slice(0, 8)}.html`;
}
