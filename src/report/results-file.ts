// Every run leaves a JSON record under results/<name>/<timestamp>-<hash>.json, so figures can
// be compared across machines and engines. Nothing is lost: the name carries the time and a
// hash of the record, and the file is created exclusively (written whole to a private
// temporary name, then hard-linked to its name, which fails rather than replace a file there;
// a taken name gets -2, -3…), so 300 results posted in one millisecond are 300 files, and a crash or Ctrl-C never leaves a
// half-written file that looks like a result. A name too long for a folder is cut, with a hash
// of the whole name; the record inside keeps it whole.

import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type HostInfo, hostInfo } from '../runtime/host.ts';

/** Longest folder name written for a test (file systems allow 255 bytes; a margin for copies). */
const MAX_NAME = 200;

/** A file-system-safe form of a test or scenario name (kernel names contain '+' and '.'). */
export function safeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9+._-]/g, '_');
  if (safe.length <= MAX_NAME) return safe;
  return `${safe.slice(0, MAX_NAME - 17)}-${sha(name).slice(0, 16)}`;
}

/** `2026-11-24T21-07-50.123Z`: sortable, and legal in file names everywhere. */
export const timestamp = (d = new Date()): string => d.toISOString().replace(/:/g, '-');

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A result file that could not be written, and why, in a sentence for the user. */
export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
}

let tmpCounter = 0;

/**
 * Write `record` as results/<name>/<timestamp>-<hash>.json below `resultsDir`; returns the path,
 * or throws a ResultFileError saying why it could not (never hangs: see makeDirs).
 */
export function writeResultFile(resultsDir: string, name: string, record: unknown): string {
  return writeResultText(resultsDir, name, recordJson(record));
}

/** A record as its file holds it (and `--json` prints it): indented JSON, Maps as objects. */
export const recordJson = (record: unknown): string =>
  `${JSON.stringify(record, mapsAsObjects, 2)}\n`;

/** writeResultFile of a record already made JSON (recordJson). */
export function writeResultText(resultsDir: string, name: string, text: string): string {
  const dir = join(resultsDir, safeName(name));
  makeDirs(dir);
  const stem = join(dir, `${timestamp()}-${sha(text).slice(0, 8)}`);
  const tmp = `${stem}.${process.pid}-${++tmpCounter}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    return createExclusively(tmp, stem);
  } catch (err) {
    throw new ResultFileError(`${stem}.json: ${why(err as NodeJS.ErrnoException)}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * <stem>.json, or <stem>-2.json, -3… when the name is taken (every write is a run of its own,
 * even with the same content in the same millisecond). Hard links make the create exclusive;
 * where a file system has none, a rename after a check.
 */
function createExclusively(tmp: string, stem: string): string {
  for (let n = 1; ; n++) {
    const path = n === 1 ? `${stem}.json` : `${stem}-${n}.json`;
    try {
      linkSync(tmp, path);
      return path;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
      if (statKind(path) !== 'none') continue;
      renameSync(tmp, path);
      return path;
    }
  }
}

/**
 * mkdir -p, one component at a time, each tried once: Node's recursive mkdirSync loops for ever
 * under /proc, where mkdir keeps failing with ENOENT for a parent that stat says exists.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    const kind = statKind(d);
    if (kind === 'dir') break;
    if (kind === 'other')
      throw new ResultFileError(`${d}: a file is in the way of the results folder`);
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'EEXIST' && statKind(d) === 'dir') continue;
      throw new ResultFileError(`${d}: ${why(e)}`);
    }
  }
}

function statKind(path: string): 'dir' | 'other' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'none';
  }
}

/** The reason a file-system call failed, in words. */
function why(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system';
    case 'ENOTDIR':
      return 'a file is in the way of the results folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'a folder cannot be created there (ENOENT)';
    case 'EEXIST':
      return 'a file is in the way of the results folder';
    default:
      return `cannot create it (${err.code ?? err.message})`;
  }
}

/** A JSON.stringify replacer: Maps become objects, so that histograms survive JSON. */
export function mapsAsObjects(_key: string, value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

/**
 * The version of the result record's shape, schema/result.schema.json's `schemaVersion`: raised
 * when a field changes meaning or goes away (adding a field does not raise it).
 */
export const SCHEMA_VERSION = 1;

/** Where and when a figure was produced: the fields every result record starts with (STYLE 15). */
export function provenance(host: HostInfo = hostInfo()) {
  return {
    schemaVersion: SCHEMA_VERSION,
    date: new Date().toISOString(),
    host,
    /** Who ran the CPUs: name, version, JS engine and its version, flags (also in host). */
    engine: host.engine,
  };
}
