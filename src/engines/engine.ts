// The engine concept: one module per engine (node.ts, bun.ts, deno.ts, chromium.ts,
// firefox.ts) says how it is found, how it is named, how to install it and how it is started
// with engine flags; registry.ts lists them. A sixth engine is a file and a registry line.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { JsEngine } from '../runtime/identity.ts';

/** An engine found on this machine, or a browser running elsewhere (--browser-url). */
export interface Located {
  /** Its executable; for a browser running elsewhere, the URL it is reached at. */
  path: string;
  /** What the engine says its version is, e.g. `bun 1.4.5`, `Chromium 156.0.8078.108`. */
  version: string;
  /** A browser already running, reached at `path` over the DevTools protocol (browser/remote.ts). */
  remote?: true;
}

/** A child process running src/engines/runner.ts. */
export interface ChildCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

interface EngineBase {
  name: string;
  jsEngine: JsEngine;
  /** One line: how to get it (said by `smplab engines` and when it is missing). */
  install: string;
  /** What --engine-flags means for it. */
  flagsHelp: string;
  locate(): Located | undefined;
}

/** An engine run as a child process of the driver (Node, Bun, Deno). */
export interface ProcessEngine extends EngineBase {
  kind: 'process';
  /** The runner's command line with these engine flags; a UserError for flags it cannot take. */
  childCommand(at: Located, flags: string[], runner: string, request: string): ChildCommand;
}

/** A browser driven headless through puppeteer-core. */
export interface BrowserEngine extends EngineBase {
  kind: 'browser';
  /** It can be reached when already running, over the Chrome DevTools Protocol (--browser-url). */
  devtools?: true;
  /** puppeteer-core's launch options for it. */
  launchOptions(at: Located, flags: string[]): Record<string, unknown>;
}

export type Engine = ProcessEngine | BrowserEngine;

/** The first of `names` on PATH (or `extra` paths tried first), absolute; undefined if none. */
export function findExecutable(names: string[], extra: string[] = []): string | undefined {
  for (const p of extra) if (existsSync(p)) return p;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of names)
    for (const dir of dirs) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
  return undefined;
}

/** The first line `<path> <args>` prints, or undefined when it does not run. */
export function versionOf(path: string, args: string[] = ['--version']): string | undefined {
  try {
    const out = execFileSync(path, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 20_000,
    });
    return out.split('\n')[0]?.trim() || undefined;
  } catch {
    // Does not start (wrong platform, broken package): the engine counts as missing.
    return undefined;
  }
}
