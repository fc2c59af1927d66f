// A litmus test's threads on a chosen engine: in this process (Node without engine flags), in
// a child engine (bun, deno, node with V8 flags), or in a headless browser. Every path returns
// the same RunsResult, whose host names the engine that produced it.

import { UserError } from '../errors.ts';
import type { HwHooks } from '../runtime/litmus/cpus.ts';
import { type LitmusJob, type RunsResult, runLitmusJob } from '../runtime/litmus/run.ts';
import type { Engine, Located } from './engine.ts';
import { ENGINES, engineNamed, locateOrExplain, NODE_TIERS } from './registry.ts';
import { runInChild } from './run-child.ts';

/** One engine to run on, with its flags and the label its row gets. */
export interface EngineChoice {
  engine: Engine;
  at: Located;
  flags: string[];
  /** `node`, `bun`, or `node interpreter` for a tier. */
  label: string;
}

export interface MissingEngine {
  name: string;
  install: string;
}

/**
 * What --engine named, found on this machine (or, with `browserUrl`, the browser running there);
 * engines it could not find, with how to get them.
 */
export function chooseEngines(
  word: string,
  flags: string[],
  browserUrl?: string,
): { choices: EngineChoice[]; missing: MissingEngine[] } {
  if (browserUrl !== undefined)
    return { choices: [runningBrowser(word, flags, browserUrl)], missing: [] };
  if (word === 'node-tiers') {
    const node = engineNamed('node');
    const at = locateOrExplain(node);
    const choices = NODE_TIERS.map((t) => ({
      engine: node,
      at,
      flags: [...t.flags, ...flags],
      label: `node ${t.tier}`,
    }));
    return { choices, missing: [] };
  }
  if (word === 'all') {
    const choices: EngineChoice[] = [];
    const missing: MissingEngine[] = [];
    for (const engine of ENGINES) {
      const at = engine.locate();
      if (at) choices.push({ engine, at, flags: [], label: engine.name });
      else missing.push({ name: engine.name, install: engine.install });
    }
    return { choices, missing };
  }
  const engine = engineNamed(word);
  const choice = { engine, at: locateOrExplain(engine), flags, label: engine.name };
  return { choices: [choice], missing: [] };
}

/** --browser-url: a browser of `word`'s kind already running at `url`, not one started here. */
function runningBrowser(word: string, flags: string[], url: string): EngineChoice {
  const engine = ENGINES.find((e) => e.name === word);
  if (engine?.kind !== 'browser' || !engine.devtools) {
    const able = ENGINES.filter((e) => e.kind === 'browser' && e.devtools).map((e) => e.name);
    throw new UserError(
      `--browser-url connects over the Chrome DevTools Protocol: use it with --engine ${able.join(' or ')}`,
    );
  }
  if (flags.length)
    throw new UserError(
      '--engine-flags cannot reach a browser that is already running: start it with them (--js-flags=…)',
    );
  return {
    engine,
    at: { path: url, version: `running at ${url}`, remote: true },
    flags,
    label: engine.name,
  };
}

/**
 * Run `job` on `choice`, or in this process when there is none (no --engine). The job goes as
 * its threads backend made it; the engine's flags go with it.
 */
export async function runOnEngine(
  choice: EngineChoice | undefined,
  job: LitmusJob,
  hooks: HwHooks,
): Promise<RunsResult> {
  if (!choice) return runLitmusJob(job, hooks);
  const { engine, at, flags } = choice;
  if (engine.kind === 'browser') {
    // Loaded only when a browser is asked for: puppeteer-core and esbuild are large.
    const { runInBrowser } = await import('./browser/run-browser.ts');
    return runInBrowser(engine, at, { ...job, flags }, hooks);
  }
  if (engine.name === 'node' && flags.length === 0) return runLitmusJob(job, hooks);
  return runInChild(engine, at, { ...job, flags }, hooks);
}
