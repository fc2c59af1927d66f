// herd7's and litmus7's `Hash=` of a C-litmus test, computed as herdtools7 7.58 computes it
// (lib/CTestHash.ml, lib/testHash.ml, CGenParser_lib.ml), so that mcompare7 and the kernel's
// scripts, which match logs by it, take smplab's logs for the same tests as herd7's: the MD5
// of the MD5s of the init block, the code and the observed locations, in herd's own text —
// - init: each entry `loc=v`, `type loc=v`, `type *loc=v` (0 when no value is given), sorted,
//   registers (by thread, then name) before locations (by name), joined by "; ";
// - code: each thread as `P0(int* x, int* y) {\n<its body exactly as written>\n}\n`, one
//   pointer stripped from each parameter's type, the threads side by side as herd's
//   pretty-printer puts columns: ` P0… | P1… ;\n`;
// - observed: the registers and locations of `locations [...]` and the condition, sorted as
//   above, joined by "; ".
// The metadata lines (Cycle=…) enter the hash only for keys herd7 digests (memory and cache
// types), which C tests do not have. Checked against herd7's Hash= of the kernel's 35 tests and
// the 1,876 luc tests (test/report/herd-log.test.ts). Undefined when herd7 could not split the
// file (litmus/herd-split.ts).

import { createHash } from 'node:crypto';
import { herdSplit } from './herd-split.ts';
import { observedKeys, stateKeyName, type Test } from './ir.ts';

const md5 = (text: string): Buffer => createHash('md5').update(text, 'utf8').digest();

export function herdHash(text: string, test: Test): string | undefined {
  const split = herdSplit(text);
  if ('error' in split) return undefined;
  const close = text.indexOf('}', split.init);
  if (close < 0 || close > split.final) return undefined;
  const code = threadsText(text.slice(close + 1, split.final));
  if (code === undefined) return undefined;
  const digest = createHash('md5');
  digest.update(md5(initText(text.slice(split.init + 1, close))));
  digest.update(md5(code));
  digest.update(md5(observedText(test)));
  return digest.digest('hex');
}

interface Sortable {
  /** Registers (0) before locations (1). */
  group: number;
  thread: number;
  name: string;
  text: string;
}

const byHerdOrder = (a: Sortable, b: Sortable): number =>
  a.group - b.group || a.thread - b.thread || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const REG = /^(\d+):(\w+)$/;

function sortable(loc: string, text: string): Sortable {
  const m = REG.exec(loc);
  return m
    ? { group: 0, thread: Number(m[1]), name: m[2]!, text }
    : { group: 1, thread: 0, name: loc, text };
}

/** The init block as herd prints it to hash it. */
function initText(block: string): string {
  const entries: Sortable[] = [];
  for (const raw of block.replace(/\/\/[^\n]*/g, '').split(';')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const lhs = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const value = eq < 0 ? '0' : entry.slice(eq + 1).trim();
    const m = /^(.*?)(\*?)\s*((?:\d+:)?\w+)$/s.exec(lhs);
    if (!m) continue;
    let type = m[1]!.trim().replace(/\s+/g, ' ');
    let star = m[2]!;
    if (type.endsWith('*')) {
      type = type.slice(0, -1).trim();
      star = '*';
    }
    const loc = m[3]!;
    const text = !type
      ? `${star}${loc}=${value}`
      : star
        ? `${type} *${loc}=${value}`
        : `${type} ${loc}=${value}`;
    entries.push(sortable(loc, text));
  }
  return entries
    .sort(byHerdOrder)
    .map((e) => e.text)
    .join('; ');
}

const PROC = /P(\d+)\s*\(([^)]*)\)(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*\{/g;

/** The threads as herd's C splitter keeps them (bodies verbatim), side by side; undefined if unreadable. */
function threadsText(code: string): string | undefined {
  const procs: string[] = [];
  PROC.lastIndex = 0;
  for (let m = PROC.exec(code); m; m = PROC.exec(code)) {
    const start = PROC.lastIndex;
    let depth = 0;
    let end = start;
    for (; end < code.length; end++) {
      if (code[end] === '{') depth++;
      else if (code[end] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (end >= code.length) return undefined;
    const params = m[2]!
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const pm = /^(.*?)\s*\*\s*(\w+)$/s.exec(p);
        return pm ? `${pm[1]!.replace(/\s+/g, ' ').replace(/ \*/g, '*')}* ${pm[2]}` : p;
      });
    procs.push(`P${m[1]}(${params.join(', ')}) {\n${code.slice(start, end)}\n}\n`);
    PROC.lastIndex = end + 1;
  }
  if (procs.length === 0) return undefined;
  return `${procs.map((p) => ` ${p} `).join('|')};\n`;
}

/** The registers and locations the final state shows, as herd prints them to hash them. */
const observedText = (test: Test): string =>
  observedKeys(test, false)
    .map((k) => stateKeyName(k))
    .join('; ');
