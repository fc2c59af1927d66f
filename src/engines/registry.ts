// Every engine the lab can run CPUs on, in the order reports list them. A new engine is a
// module beside these and one line here.

import { UserError } from '../errors.ts';
import { bun } from './bun.ts';
import { chromium } from './chromium.ts';
import { deno } from './deno.ts';
import type { Engine, Located } from './engine.ts';
import { firefox } from './firefox.ts';
import { node } from './node.ts';

export const ENGINES: readonly Engine[] = [node, bun, deno, chromium, firefox];
export const ENGINE_NAMES = ENGINES.map((e) => e.name);

/** What --engine accepts: one engine, every engine present, or Node once per V8 tier. */
export const ENGINE_CHOICES = [...ENGINE_NAMES, 'all', 'node-tiers'] as const;

/** Node's V8 tiers, as jcstress varies the JIT: interpreter only, baseline, everything. */
export const NODE_TIERS: readonly { tier: string; flags: string[] }[] = [
  { tier: 'interpreter', flags: ['--jitless'] },
  { tier: 'baseline', flags: ['--max-opt=1'] },
  { tier: 'no-turbofan', flags: ['--no-opt'] },
  { tier: 'optimizing', flags: [] },
];

export function engineNamed(name: string): Engine {
  const e = ENGINES.find((x) => x.name === name);
  if (!e) throw new Error(`internal: no engine ${name}`);
  return e;
}

/** The engine found, or a UserError saying how to install it. */
export function locateOrExplain(engine: Engine): Located {
  const at = engine.locate();
  if (!at)
    throw new UserError(`${engine.name} is not installed here. To get it: ${engine.install}`);
  return at;
}
