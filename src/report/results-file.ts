// Every run leaves a JSON record under results/<name>/<timestamp>.json, so figures can be
// compared across machines and engines. The file is written whole or not at all: to a
// temporary name first, then renamed (a rename within one directory is atomic on POSIX), so a
// crash or Ctrl-C never leaves a half-written file that looks like a result.

import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type HostInfo, hostInfo } from '../runtime/host.ts';

/** A file-system-safe form of a test or scenario name (kernel names contain '+' and '.'). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9+._-]/g, '_');
}

/** `2026-11-24T21-07-50.123Z`: sortable, and legal in file names everywhere. */
export const timestamp = (d = new Date()): string => d.toISOString().replace(/:/g, '-');

/** A result file that could not be written, and why, in a sentence for the user. */
export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
}

/**
 * Write `record` as results/<name>/<timestamp>.json below `resultsDir`; returns the path, or
 * throws a ResultFileError saying why it could not (never hangs: see makeDirs).
 */
export function writeResultFile(resultsDir: string, name: string, record: unknown): string {
  const dir = join(resultsDir, safeName(name));
  makeDirs(dir);
  const path = join(dir, `${timestamp()}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(record, mapsAsObjects, 2)}\n`);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ResultFileError(`${path}: ${why(err as NodeJS.ErrnoException)}`);
  }
  return path;
}

/**
 * mkdir -p, one component at a time, each tried once: Node's recursive mkdirSync loops for ever
 * under /proc, where mkdir keeps failing with ENOENT for a parent that stat says exists.
 */
function makeDirs(dir: string): void {
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
