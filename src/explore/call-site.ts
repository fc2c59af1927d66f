// Where a scenario called the kernel API: the scenario author's line (the innermost frame of
// the stack outside smplab's own src/) and the kernel API function it called there (the frame
// just inside it, `read_lock` when read_lock()'s atomic_fetch_add_acquire makes the event).
// --explain names each event of a witness by it, --ablate finds and weakens one call site by it.
//
// Taken from V8's structured stack (Error.captureStackTrace with a prepareStackTrace that keeps
// the CallSites): about ten times cheaper than formatting the stack text. Positions are the
// generated code's, so a file with a source map (a TypeScript scenario run through tsx) is
// mapped back to its own lines once per position and cached. Only the explanation's replay and
// an ablation's exploration ask; the plain exploration never does.
//
// This module reads stacks; it decides nothing about events.

import { findSourceMap } from 'node:module';
import { dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isOwnCode } from '../own-modules.ts';

/** A call of the kernel API from the scenario's code. */
export interface CallSite {
  /** The kernel API function called (`READ_ONCE`, `read_lock`); the primitive's name if unknown. */
  call: string;
  /** The scenario's file (an absolute path) and the 1-based line and column of the call. */
  file: string;
  line: number;
  col: number;
}

/** `file:line:col`: one call site, as a key. */
export const siteKey = (s: CallSite): string => `${s.call}@${s.file}:${s.line}:${s.col}`;

/** Frames kept: the kernel API nests a few calls deep (read_lock → spin_lock → the memory). */
const FRAMES = 24;

type Position = Pick<CallSite, 'file' | 'line' | 'col'>;
const mapped = new Map<string, Position>();

/**
 * The scenario's call that is running now, or undefined when no frame is outside smplab's
 * src/ (code the lab runs itself). `primitive` names the call when the kernel API's frame has
 * no name.
 */
export function callSite(primitive: string): CallSite | undefined {
  return siteIn(structuredStack(), primitive)?.site;
}

/**
 * The same, with where inside the kernel API the stack was (its frames' positions, as one
 * string): two events of one call differ there, two calls of one site in a row do not.
 */
export function callSiteWithPath(primitive: string): { site: CallSite; path: string } | undefined {
  return siteIn(structuredStack(), primitive);
}

function siteIn(
  frames: NodeJS.CallSite[],
  primitive: string,
): { site: CallSite; path: string } | undefined {
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i]!;
    const file = pathOf(f.getFileName() ?? '');
    if (file === '' || isOwnCode(file) || file.startsWith('node:')) continue;
    const at = sourcePosition(file, f.getLineNumber() ?? 0, f.getColumnNumber() ?? 0);
    const call = frames[i - 1]?.getFunctionName() || primitive;
    const path = frames
      .slice(0, i)
      .map((g) => `${g.getLineNumber()}:${g.getColumnNumber()}`)
      .join(' ');
    return { site: { call, ...at }, path };
  }
  return undefined;
}

function structuredStack(): NodeJS.CallSite[] {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = (_e, frames) => frames;
  Error.stackTraceLimit = FRAMES;
  try {
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, structuredStack);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}

function pathOf(name: string): string {
  return name.startsWith('file://') ? fileURLToPath(name) : name;
}

/**
 * The file and position as written: through the module's source map when it has one (tsx's for
 * a TypeScript file, bin/build.js's for a compiled seed scenario).
 */
function sourcePosition(file: string, line: number, col: number): Position {
  const key = `${file}:${line}:${col}`;
  let at = mapped.get(key);
  if (!at) {
    const map = findMap(file);
    const entry = map?.findEntry(line - 1, col - 1);
    at =
      entry && 'originalLine' in entry && entry.originalLine !== undefined
        ? {
            file: entry.originalSource ? pathOf(entry.originalSource) : file,
            line: entry.originalLine + 1,
            col: entry.originalColumn + 1,
          }
        : { file, line, col };
    mapped.set(key, at);
  }
  return at;
}

/**
 * `site`'s file as a reader of the scenario names it: relative to the folder of the scenario's
 * own file as written (its .ts, not the compiled .js that ran).
 */
export function siteFile(scenarioFile: string | undefined, site: Pick<CallSite, 'file'>): string {
  if (!scenarioFile) return site.file;
  const source = findMap(scenarioFile)?.payload.sources[0];
  const written = source
    ? fileURLToPath(new URL(source, pathToFileURL(scenarioFile)))
    : scenarioFile;
  return relative(dirname(written), site.file);
}

/** Node keeps a module's map by its path or its URL (ESM); none when source maps are off. */
function findMap(file: string) {
  return findSourceMap(file) ?? findSourceMap(pathToFileURL(file).href);
}
