// A litmus run's plan: what was asked (from argv or an HTTP request) resolved once — the test
// read once (its IR, the text, that text's hash), the backends in the order asked, the engine
// (found once: finding one runs its `--version`), the sizes and budgets every backend reads.
// The lab's use cases take the plan as it is: nothing re-reads the file or asks for the engine
// again, each backend gets the plan's settings — the same object down to every CPU's task
// (runtime/litmus/settings.ts) — and the record's `options` are the plan's.

import type { RunSettings } from '../backends/backend.ts';
import { defaultBackends } from '../backends/registry.ts';
import type { RemoteDevice } from '../engines/browser/remote.ts';
import type { ENGINE_CHOICES } from '../engines/registry.ts';
import { chooseEngines, type EngineChoice, type MissingEngine } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { readLitmusFile } from '../litmus/load.ts';
import type { KnobsOrigin } from '../runtime/litmus/knobs.ts';
import { familyOf, settleKnobs } from './knobs.ts';
import { displayPath } from './resolve.ts';

export type EngineWord = (typeof ENGINE_CHOICES)[number];

/** What a caller asks of a litmus run (the flags of `smplab run`, or serve's settings). */
export interface LitmusRequest {
  /** Backend names; undefined: every default one (backends/registry.ts). */
  on?: string[];
  /** The run's settings: the model that grades (built in, or read from files), its budget, the runs, sizes and seed. */
  settings: RunSettings;
  /** One engine, `all`, `node-tiers`; undefined: this process. */
  engine?: EngineWord;
  /** V8 flags or JSC options for the CPU workers (alone: node with these flags). */
  engineFlags: string[];
  /** --browser-url: the browser running there runs the threads (engine chromium). */
  browserUrl?: string;
  /** --untuned: the built-in knobs, not this machine's tuned preset. */
  untuned?: boolean;
  /** The device at browserUrl, as its pages see it (withDevice): its presets' key. */
  device?: RemoteDevice;
}

/**
 * The request with the device at --browser-url asked what it is (its user agent and cores),
 * so that its tuned preset applies as this machine's does; unchanged without --browser-url.
 */
export async function withDevice(request: LitmusRequest): Promise<LitmusRequest> {
  if (request.browserUrl === undefined || request.engine !== 'chromium' || request.untuned)
    return request;
  // Imported here: it loads puppeteer, which no other run needs.
  const { remoteDevice } = await import('../engines/browser/remote.ts');
  return { ...request, device: await remoteDevice(request.browserUrl) };
}

/** A litmus test as a run records it: shown by its display path, with the one text it was read from. */
export type LoadedTest = Test & { source: string };

export interface LitmusPlan {
  test: LoadedTest;
  /** In the order asked. */
  backends: string[];
  /** What every backend reads, the request's own: they reach every CPU's task unchanged. */
  settings: RunSettings;
  /** Where the threads run: the one engine asked for (undefined: this process). */
  engine?: EngineChoice;
  /** `--engine all | node-tiers`: every engine found (one row each), and those missing. */
  engines?: { choices: EngineChoice[]; missing: MissingEngine[] };
  /** What was asked, as the record states it. */
  request: LitmusRequest;
  /** Where the knobs of `settings` came from (flags, this machine's preset, built-in). */
  knobs?: KnobsOrigin;
}

/** Read the test at `path` once and resolve the rest of the request around it. */
export function planLitmus(path: string, request: LitmusRequest): LitmusPlan {
  const test = loadTest(path);
  const plan = { test, ...resolveRequest(request) };
  return plan.engines ? plan : withKnobs(plan);
}

/**
 * The plan with every knob settled (lab/knobs.ts): those the request gave, the rest from this
 * machine's preset for the test's family or the built-in ones for its CPU and the plan's engine.
 */
export function withKnobs(plan: LitmusPlan): LitmusPlan {
  const { request } = plan;
  const { knobs, origin } = settleKnobs({
    family: familyOf(plan.test.name),
    given: request.settings,
    untuned: request.untuned,
    engine: plan.engine,
    ...(request.device && { device: request.device }),
  });
  return { ...plan, settings: { ...request.settings, ...knobs }, knobs: origin };
}

/** Everything of a plan but the test: for several tests run alike (compare), resolved once. */
export type Resolved = Omit<LitmusPlan, 'test'>;

export function resolveRequest(request: LitmusRequest): Resolved {
  const several = request.engine === 'all' || request.engine === 'node-tiers';
  if (several && request.browserUrl !== undefined)
    throw new UserError(`--browser-url runs one browser: not with --engine ${request.engine}`);
  return {
    backends: request.on ?? defaultBackends('litmus'),
    settings: request.settings,
    engine: several ? undefined : singleEngine(request),
    ...(several && { engines: chooseEngines(request.engine!, request.engineFlags) }),
    request,
  };
}

/** The test at `path`, read once: the hash, the IR and the saved source come from one read. */
export function loadTest(path: string): LoadedTest {
  const { test, source } = readLitmusFile(path);
  return { ...test, file: displayPath(path), source };
}

/** The engine --engine names, or undefined for this process; --engine-flags alone mean node. */
function singleEngine(request: LitmusRequest): EngineChoice | undefined {
  const { engine, engineFlags, browserUrl } = request;
  if (browserUrl !== undefined && engine === undefined)
    throw new UserError(
      '--browser-url needs --engine chromium (the kind of browser running there)',
    );
  if (engine === undefined && engineFlags.length === 0) return undefined;
  return chooseEngines(engine ?? 'node', engineFlags, browserUrl).choices[0];
}

/** The plan on one engine of a multi-engine run, on `backends`: a plan of its own. */
export function onEngine(
  plan: LitmusPlan,
  engine: EngineChoice | undefined,
  backends = plan.backends,
): LitmusPlan {
  // Each engine its own knobs: a preset is tuned per engine.
  return withKnobs({ ...plan, backends, engine, engines: undefined });
}
