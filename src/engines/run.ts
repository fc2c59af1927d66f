// The hw part of a litmus test on a chosen engine: in this process (Node without engine
// flags), in a child engine (bun, deno, node with V8 flags), or in a headless browser. Every
// path returns the same EngineRun: the HwResult and the host and engine that produced it.

import type { Test } from '../litmus/ir.ts';
import type { Verdict } from '../model/index.ts';
import { hostInfo } from '../runtime/host.ts';
import { type HwHooks, runLitmusOnHw } from '../runtime/litmus-hw.ts';
import type { Engine, Located } from './engine.ts';
import { ENGINES, engineNamed, locateOrExplain, NODE_TIERS } from './registry.ts';
import { runInBrowser } from './run-browser.ts';
import { runInChild } from './run-child.ts';
import type { EngineRun, RunnerRequest } from './runner-protocol.ts';

/** One engine to run on, with its flags and the label its row gets. */
export interface EngineChoice {
  engine: Engine;
  at: Located;
  flags: string[];
  /** `node`, `bun`, or `node interpreter` for a tier. */
  label: string;
}

/** What --engine named, found on this machine; engines it could not find, with how to get them. */
export function chooseEngines(
  word: string,
  flags: string[],
): { choices: EngineChoice[]; missing: { name: string; install: string }[] } {
  if (word === 'node-tiers') {
    const node = engineNamed('node');
    const at = locateOrExplain(node);
    return {
      choices: NODE_TIERS.map((t) => ({
        engine: node,
        at,
        flags: [...t.flags, ...flags],
        label: `node ${t.tier}`,
      })),
      missing: [],
    };
  }
  if (word === 'all') {
    const choices: EngineChoice[] = [];
    const missing: { name: string; install: string }[] = [];
    for (const engine of ENGINES) {
      const at = engine.locate();
      if (at) choices.push({ engine, at, flags: [], label: engine.name });
      else missing.push({ name: engine.name, install: engine.install });
    }
    return { choices, missing };
  }
  const engine = engineNamed(word);
  return {
    choices: [{ engine, at: locateOrExplain(engine), flags, label: engine.name }],
    missing: [],
  };
}

export function runOnEngine(
  choice: EngineChoice,
  test: Test,
  verdict: Verdict | undefined,
  request: RunnerRequest,
  hooks: HwHooks,
): Promise<EngineRun> {
  const { engine, at } = choice;
  if (engine.kind === 'browser') return runInBrowser(engine, at, test, verdict, request, hooks);
  if (engine.name === 'node' && request.flags.length === 0) return runHere(test, request, hooks);
  return runInChild(engine, at, request, hooks);
}

async function runHere(test: Test, r: RunnerRequest, hooks: HwHooks): Promise<EngineRun> {
  const hw = await runLitmusOnHw(test, { runs: r.runs, size: r.size, timeSeconds: r.time }, hooks);
  return { hw, host: hostInfo() };
}
