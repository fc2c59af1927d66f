// Every run leaves a JSON record under results/<name>/<timestamp>.json, so figures can be
// compared across machines and engines. The file is written whole or not at all: to a
// temporary name first, then renamed (a rename within one directory is atomic on POSIX), so a
// crash or Ctrl-C never leaves a half-written file that looks like a result.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HostInfo, hostInfo } from '../runtime/host.ts';

/** A file-system-safe form of a test or scenario name (kernel names contain '+' and '.'). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9+._-]/g, '_');
}

/** `2026-11-24T21-07-50.123Z`: sortable, and legal in file names everywhere. */
export const timestamp = (d = new Date()): string => d.toISOString().replace(/:/g, '-');

/** Write `record` as results/<name>/<timestamp>.json below `resultsDir`; returns the path. */
export function writeResultFile(resultsDir: string, name: string, record: unknown): string {
  const dir = join(resultsDir, safeName(name));
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${timestamp()}.json`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record, mapsAsObjects, 2)}\n`);
  renameSync(tmp, path);
  return path;
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
