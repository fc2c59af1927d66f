// Reading result records back: every results/<name>/<timestamp>.json below a folder, each
// validated against the schema (validate.ts), as one normalised shape the HTML report, JUnit,
// merge and compare can loop over. The reader is
// tolerant of how a record keeps its backends — a `results` object keyed by backend name
// (model, hw, weak, …), or the older top-level `model` / `hw` fields — and of engine fields it
// does not know: unknown backends are kept by name, unknown fields are ignored. A file that is
// not a record (not JSON, no `kind`) is listed in `skipped` with the reason, never dropped
// silently.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { recordFiles } from './record-files.ts';
import { recordProblem } from './validate.ts';

/** The model's answer as a record keeps it. */
export interface ModelAnswer {
  model: string;
  observation: string;
  /** Final state → whether it satisfies the condition. */
  states: Record<string, { witness: boolean }>;
  flags?: string[];
}

/** A backend that ran the test and counted final states (hw, weak, or one not known here). */
export interface ObservedRun {
  backend: string;
  /** Final state (herd7's form) → runs that ended in it. */
  histogram: Record<string, number>;
  /** Final state → its values, aligned with the test's observed keys, when the record has them. */
  values: Record<string, number[]>;
  runs: number;
  elapsedMs?: number;
  partial: boolean;
  /** The memory object its CPUs ran (x86, portable, weak), which decides its bounds. */
  memory?: string;
}

export interface ResultRecord {
  /** The JSON file, relative to the folder read. */
  path: string;
  kind: 'litmus' | 'program' | string;
  /** The test or scenario name. */
  name: string;
  /** The hash of the test's or scenario's file: its identity (two files of one name differ). */
  hash?: string;
  /** The file it ran from, as the run named it. */
  file?: string;
  date: string;
  host: Record<string, unknown>;
  /** `x64 AMD EPYC, 2 CPUs` */
  hostLabel: string;
  /** `node 20.20.2`, or the engine's own name when the record gives one. */
  engineLabel: string;
  partial: boolean;
  /** The record as written. */
  raw: Record<string, unknown>;
  /** litmus only */
  source?: string;
  expected?: string;
  modelAnswer?: ModelAnswer;
  /**
   * The models that bound what a threads backend may show, with the states each allows: a state
   * outside one of them is outside the model. (Older records: the model's answer stands in.)
   */
  bounds?: Record<string, string[]>;
  observed: ObservedRun[];
  /** Backends asked for and not run, with the reason. */
  skipped: Record<string, string>;
}

export interface ReadResult {
  records: ResultRecord[];
  /** Files that are not records, with why. */
  skipped: { path: string; reason: string }[];
}

/**
 * Every record below `dir` (record-files.ts says which files), oldest first. Each is checked
 * against the schema before it is read (validate.ts); one that fails is skipped with the reason.
 */
export function readRecords(dir: string): ReadResult {
  const found = recordFiles(dir);
  const out: ReadResult = { records: [], skipped: [...found.skipped] };
  for (const file of found.files) readInto(out, dir, file);
  return sortedByDate(out);
}

/**
 * readRecords for a command a signal may stop (report): the event loop runs between two files,
 * so Ctrl-C and SIGTERM are heard while a large folder is read; `interrupted` when one was.
 */
export async function readRecordsUntil(
  dir: string,
  signal?: AbortSignal,
): Promise<ReadResult & { interrupted: boolean }> {
  const found = recordFiles(dir);
  const out: ReadResult = { records: [], skipped: [...found.skipped] };
  for (const file of found.files) {
    await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) return { ...sortedByDate(out), interrupted: true };
    readInto(out, dir, file);
  }
  return { ...sortedByDate(out), interrupted: false };
}

function readInto(out: ReadResult, dir: string, file: string): void {
  const path = relative(dir, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    out.skipped.push({ path, reason: `not JSON: ${(e as Error).message}` });
    return;
  }
  const rec =
    isObj(raw) && typeof raw.kind === 'string' ? readRecord(path, raw) : normalise(path, raw);
  if (typeof rec === 'string') out.skipped.push({ path, reason: rec });
  else out.records.push(rec);
}

function sortedByDate(out: ReadResult): ReadResult {
  out.records.sort((a, b) => a.date.localeCompare(b.date));
  return out;
}

/** A record checked against the schema first, then normalised; or why it is not one. */
export function readRecord(path: string, raw: unknown): ResultRecord | string {
  return recordProblem(raw) ?? normalise(path, raw);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A record in the normalised shape, or why the file is not one. */
export function normalise(path: string, raw: unknown): ResultRecord | string {
  if (!isObj(raw) || typeof raw.kind !== 'string') return 'no "kind": not a result record';
  const name = str(raw.test) ?? str(raw.scenario) ?? str(raw.name);
  if (!name) return 'no test or scenario name';
  const host = isObj(raw.host) ? raw.host : {};
  const backends = backendsOf(raw);
  const observed: ObservedRun[] = [];
  const skipped: Record<string, string> = {};
  let modelAnswer: ModelAnswer | undefined;
  for (const [backend, entry] of Object.entries(backends)) {
    const value = unwrap(entry);
    if (typeof value === 'string') skipped[backend] = value;
    else if (!isObj(value)) continue;
    else if (isObj(value.histogram))
      observed.push({
        backend,
        ...histogramOf(value.histogram),
        runs: Number(value.runs ?? 0),
        ...(typeof value.elapsedMs === 'number' && { elapsedMs: value.elapsedMs }),
        ...optional('memory', str(value.memory) ?? olderMemory(backend, host)),
        partial: value.partial === true || (isObj(entry) && entry.tag === 'interrupted'),
      });
    else if (isObj(value.states) && typeof value.observation === 'string')
      modelAnswer = value as unknown as ModelAnswer;
  }
  const grading = isObj(raw.grading) && isObj(raw.grading.bounds) ? raw.grading.bounds : undefined;
  const program =
    Object.values(backendsOf(raw)).find(isObj) ?? (isObj(raw.result) ? raw.result : {});
  // A litmus record names its file and hash; a program record's are in its results.
  const hash = str(raw.hash) ?? str(program.hash);
  const file = str(raw.file) ?? str(program.file);
  return {
    path,
    kind: raw.kind,
    name,
    ...(hash && { hash }),
    ...(file && { file }),
    date: str(raw.date) ?? '',
    host,
    hostLabel: hostLabel(host),
    engineLabel: engineLabel(raw.engine, host),
    partial: raw.partial === true,
    raw,
    ...(str(raw.source) && { source: str(raw.source) }),
    ...(str(raw.expected) && { expected: str(raw.expected) }),
    ...(modelAnswer && { modelAnswer }),
    ...(grading && { bounds: grading as Record<string, string[]> }),
    observed,
    skipped,
  };
}

const optional = <K extends string, V>(key: K, v: V | undefined) =>
  v === undefined ? {} : ({ [key]: v } as Record<K, V>);

/** What records older than the `memory` field ran: hw this host's mapping, weak its own. */
function olderMemory(backend: string, host: Obj): string | undefined {
  if (backend === 'weak') return 'weak';
  if (backend !== 'hw') return undefined;
  return host.arch === 'x64' || host.arch === 'ia32' ? 'x86' : 'portable';
}

/**
 * The backends of a record by name: `backends: { model, hw, weak }` (each a tagged result),
 * `results: {…}`, or the older top-level `model` / `hw` fields.
 */
function backendsOf(raw: Obj): Obj {
  if (isObj(raw.backends)) return raw.backends;
  if (isObj(raw.results)) return raw.results;
  const out: Obj = {};
  if (isObj(raw.model)) out.model = raw.model;
  for (const b of ['hw', 'weak']) if (isObj(raw[b])) out[b] = raw[b];
  if (typeof raw.hwSkipped === 'string') out.hw = raw.hwSkipped;
  return out;
}

/**
 * A backend's entry without its tag: `{ tag: 'ran', verdict }` is the verdict, `{ tag: 'ran',
 * runs }` the runs; a refusal or a model that gave up is its reason, as a string.
 */
function unwrap(entry: unknown): unknown {
  if (!isObj(entry) || typeof entry.tag !== 'string') return entry;
  if (isObj(entry.verdict)) return entry.verdict;
  if (isObj(entry.runs)) return entry.runs;
  const why = str(entry.reason) ?? str(entry.message) ?? entry.tag;
  return entry.tag === 'ran' ? entry : `${entry.tag === 'refused' ? '' : `${entry.tag}: `}${why}`;
}

/**
 * A histogram as records keep it: state → count (the first shape), or state → { values, count }
 * (values as the backend produced them, so the condition is evaluated on values, not on text).
 */
function histogramOf(h: Obj): {
  histogram: Record<string, number>;
  values: Record<string, number[]>;
} {
  const histogram: Record<string, number> = {};
  const values: Record<string, number[]> = {};
  for (const [state, entry] of Object.entries(h)) {
    if (typeof entry === 'number') histogram[state] = entry;
    else if (isObj(entry) && typeof entry.count === 'number') {
      histogram[state] = entry.count;
      if (Array.isArray(entry.values)) values[state] = entry.values as number[];
    }
  }
  return { histogram, values };
}

/** A program record's results, one per backend that ran it (older records: `result`, on hw). */
export function programResults(r: ResultRecord): { backend: string; result: Obj }[] {
  const raw = r.raw;
  if (isObj(raw.backends))
    return Object.entries(raw.backends)
      .filter((e): e is [string, Obj] => isObj(e[1]) && Array.isArray(e[1].variants))
      .map(([backend, result]) => ({ backend, result }));
  return isObj(raw.result) ? [{ backend: 'hw', result: raw.result }] : [];
}

/** `name x64 AMD EPYC 2 CPUs`: the host of a record, in a line. */
export function hostLabel(host: Obj): string {
  const parts = [str(host.name) ?? str(host.hostname), str(host.arch), str(host.cpuModel)];
  const cores = typeof host.cores === 'number' ? `${host.cores} CPUs` : undefined;
  return [...parts, cores].filter(Boolean).join(' ') || 'unknown host';
}

/** `node 20.20.2`, `bun 1.4.5 (JavaScriptCore)`: the engine of a record, in a line. */
export function engineLabel(engine: unknown, host: Obj): string {
  if (isObj(engine)) {
    const name = str(engine.name) ?? str(engine.engine);
    const version = str(engine.version) ?? str(engine.node);
    const flags =
      Array.isArray(engine.flags) && engine.flags.length > 0 ? ` ${engine.flags.join(' ')}` : '';
    const js = str(engine.jsEngine) && engine.jsEngine !== 'V8' ? ` (${engine.jsEngine})` : '';
    if (name) return `${version ? `${name} ${version}` : name}${js}${flags}`;
    if (version) return `node ${version.replace(/^v/, '')}`;
  }
  return str(host.node) ? `node ${host.node}` : 'unknown engine';
}
