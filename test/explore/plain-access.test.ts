// Races aside (docs/explore.md): a program scenario's never under lkmm is qualified where the
// guesses came from the accepted executions, its code may make a plain access (its source names
// a plain accessor, or model.plain adds the variant, unless model.plainFree declares it makes
// none) and its search had to guess a read; a declared variant's runs are checked; the kernel
// API's list of plain accessors is whole.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { mayMakePlainAccess } from '../../src/explore/plain-access.ts';
import { exploreVariant } from '../../src/explore/scenario.ts';
import { refusedVariant, variantResult } from '../../src/explore/scenario-result.ts';
import {
  defineScenario,
  plain_load,
  plain_store,
  READ_ONCE,
  type Scenario,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';
import { PLAIN_ACCESSORS } from '../../src/kernel/once.ts';
import { cell } from '../../src/report/scenario-model-text.ts';
import { loadScenario } from '../../src/runtime/scenario/load.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('PLAIN_ACCESSORS names each kernel API function that makes a plain access, and only those', (t) => {
  // a plain access is the memory object's load/store (a u64's too) or DataView's, made directly
  // or through another accessor of the list
  const direct = /\.(mem|mem64)\.(load|store|dataview_load|dataview_store)\(/;
  const makers = new Set<string>();
  const bodies = new Map<string, string>();
  for (const f of readdirSync(join(ROOT, 'src/kernel')).filter((x) => x.endsWith('.ts'))) {
    const text = readFileSync(join(ROOT, 'src/kernel', f), 'utf8');
    for (const m of text.matchAll(/export function (\w+)\([\s\S]*?\n\}/g)) bodies.set(m[1]!, m[0]);
  }
  for (const [name, body] of bodies) if (direct.test(body)) makers.add(name);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, body] of bodies)
      if (!makers.has(name) && [...makers].some((m) => new RegExp(`\\b${m}\\(`).test(body))) {
        makers.add(name);
        grew = true;
      }
  }
  t.deepEqual([...makers].sort(), [...PLAIN_ACCESSORS].sort());
});

test('the scan: the seed scenarios that name a plain accessor, a relative import, an unknown module', async (t) => {
  const named = [];
  for (const name of [
    'atomic-bool',
    'mmu-lock-yield',
    'pf-invalidate-race',
    'refcount',
    'rwlock-exclusion',
    'torn-64bit',
    'warn-once',
  ])
    if (mayMakePlainAccess((await loadScenario(name)).file)) named.push(name);
  t.deepEqual(named, ['atomic-bool', 'refcount', 'torn-64bit']);
  const dir = mkdtempSync(join(tmpdir(), 'smplab-plain-'));
  writeFileSync(join(dir, 'helper.ts'), 'export const put = (x, v) => plain_store(x, v);\n');
  writeFileSync(join(dir, 'quiet.ts'), 'export const put = (x, v) => WRITE_ONCE(x, v);\n');
  writeFileSync(join(dir, 'a.mts'), "import { put } from './helper.js';\n");
  writeFileSync(join(dir, 'b.mts'), "import { put } from './quiet.js';\nimport 'smplab';\n");
  writeFileSync(join(dir, 'c.mts'), "import { put } from './missing.js';\n");
  t.true(mayMakePlainAccess(join(dir, 'a.mts')));
  t.false(mayMakePlainAccess(join(dir, 'b.mts')));
  t.true(mayMakePlainAccess(join(dir, 'c.mts')));
  t.true(mayMakePlainAccess(undefined));
});

/**
 * adversarial-guesses' A5 as code: each CPU writes only if it read 1, so a 1 is written only
 * inside the load-buffering cycle. With a plain store the cycle is no cycle of lkmm's hb (the
 * model allows it, a data race); with WRITE_ONCE the code's control dependency makes it one.
 */
const CYCLE = (plain?: readonly string[], plainFree?: readonly string[]): Scenario =>
  defineScenario({
    name: 'lb-only-in-cycle',
    description: 'load buffering whose values only the cycle writes',
    kind: 'long-running',
    memory: { x: 'int', y: 'int' },
    variants: { plain: 'P0 writes y with a plain store', once: 'P0 writes y with WRITE_ONCE' },
    threads: {
      p0(_cpu, m, variant) {
        if (READ_ONCE(m.x) === 1) {
          if (variant === 'plain') plain_store(m.y, 1);
          else WRITE_ONCE(m.y, 1);
        }
      },
      p1(cpu, m) {
        if (READ_ONCE(m.y) === 1) {
          WRITE_ONCE(m.x, 1);
          cpu.observe('both read 1');
        } else cpu.observe('not both');
      },
    },
    outcomes: { 'both read 1': 'interesting', 'not both': 'acceptable' },
    ...((plain || plainFree) && {
      model: {
        description: 'as written',
        ...(plain && { plain }),
        ...(plainFree && { plainFree }),
      },
    }),
  });

test('lkmm: a never holds races aside where the code may make a plain access and a read had to guess', (t) => {
  // no file: the scan cannot tell, so every variant may
  const s = CYCLE();
  for (const variant of ['plain', 'once']) {
    const v = exploreVariant(s, variant, { model: 'lkmm', timeoutMs: 60_000 });
    t.true(v.stats.guessStates > 0, variant);
    t.deepEqual(v.extent, { kind: 'exhaustive', racesAside: true }, variant);
    const r = variantResult(s, v);
    t.is(
      cell(r, r.outcomes.find((o) => o.outcome === 'both read 1')!),
      'never — exhaustive, 1 execution, races aside',
    );
  }
  // a scenario with a file that names no plain accessor: unqualified, unless model.plain adds it
  const marked = { ...CYCLE(), file: fileURLToPath(new URL('scenarios.test.ts', import.meta.url)) };
  t.false(mayMakePlainAccess(marked.file));
  t.deepEqual(exploreVariant(marked, 'once', { model: 'lkmm', timeoutMs: 60_000 }).extent, {
    kind: 'exhaustive',
  });
  const declared = { ...marked, model: { description: 'as written', plain: ['once'] } };
  t.deepEqual(exploreVariant(declared, 'once', { model: 'lkmm', timeoutMs: 60_000 }).extent, {
    kind: 'exhaustive',
    racesAside: true,
  });
  // sc and tso guess nothing
  t.deepEqual(exploreVariant(s, 'plain', { model: 'sc', timeoutMs: 60_000 }).extent, {
    kind: 'exhaustive',
  });
});

test('the seed scenarios: which lkmm answers hold races aside', async (t) => {
  const aside: string[] = [];
  for (const name of ['atomic-bool', 'refcount', 'torn-64bit']) {
    const s = await loadScenario(name);
    for (const v of s.variants) {
      const e = exploreVariant(s, v.name, { model: 'lkmm', timeoutMs: 60_000 }).extent;
      if ('racesAside' in e && e.racesAside) aside.push(`${name} ${v.name}`);
    }
  }
  // atomic-bool's reader never waits while the writer does, so nothing guesses; refcount's
  // users and torn-64bit's locked readers wait, and their sources name plain accessors; refcount
  // declares once and atomic plain-free, torn-64bit atomics (model.plainFree)
  t.deepEqual(aside, ['refcount plain', 'torn-64bit rwlock', 'torn-64bit seqcount']);
});

test('model.plainFree: a declared variant loses races aside, the others keep it', (t) => {
  // no file: the scan says every variant may; the declaration takes `once` out, and only it
  const s = CYCLE(undefined, ['once']);
  const once = exploreVariant(s, 'once', { model: 'lkmm', timeoutMs: 60_000 });
  t.true(once.stats.guessStates > 0);
  t.deepEqual(once.extent, { kind: 'exhaustive' });
  const r = variantResult(s, once);
  t.is(
    cell(r, r.outcomes.find((o) => o.outcome === 'both read 1')!),
    'never — exhaustive, 1 execution',
  );
  t.deepEqual(exploreVariant(s, 'plain', { model: 'lkmm', timeoutMs: 60_000 }).extent, {
    kind: 'exhaustive',
    racesAside: true,
  });
});

test('model.plainFree: the seed scenarios declared, answered as before but for the qualifier', async (t) => {
  // the declared variants' answers, each outcome's executions, as the undeclared scan gave them
  for (const [name, variant] of [
    ['refcount', 'once'],
    ['refcount', 'atomic'],
    ['torn-64bit', 'atomics'],
  ] as const) {
    const s = await loadScenario(name);
    t.true(s.model!.plainFree!.includes(variant));
    const undeclared = { ...s, model: { ...s.model!, plainFree: [] } };
    const counts = (x: Scenario) =>
      exploreVariant(x, variant, { model: 'lkmm', timeoutMs: 60_000 }).outcomes.map(
        (o) => `${o.outcome}: ${o.executions}`,
      );
    t.deepEqual(counts(s), counts(undeclared), `${name} ${variant}`);
  }
});

/**
 * A variant declared plain-free that makes a plain access on a path every run takes (`lies`);
 * `caught`: the same inside a try/catch that swallows the refusal.
 */
const LIAR = defineScenario({
  name: 'plain-free-liar',
  description: 'a plain access in a variant declared plain-free',
  kind: 'long-running',
  memory: { x: 'int' },
  variants: {
    lies: 'a plain load',
    caught: 'a plain store whose refusal the code catches',
    honest: 'READ_ONCE',
  },
  threads: {
    p0(cpu, m, variant) {
      WRITE_ONCE(m.x, 1);
      if (variant === 'honest') cpu.observe(READ_ONCE(m.x) === 1 ? 'one' : 'other');
      else if (variant === 'lies')
        cpu.observe(plain_load(m.x) === 1 ? 'one' : 'other'); // LIE
      else {
        // (a store: a load would first ask the explorer for its value, which a catch-all breaks)
        const r = READ_ONCE(m.x);
        try {
          plain_store(m.x, 2);
        } catch {}
        cpu.observe(r === 1 ? 'one' : 'other');
      }
    },
  },
  outcomes: { one: 'acceptable', other: 'interesting' },
  model: { description: 'as written', plainFree: ['lies', 'caught', 'honest'] },
});

test('model.plainFree: a plain access by a declared variant is refused at its call, under every model', (t) => {
  const file = fileURLToPath(import.meta.url);
  const line =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.endsWith('// LIE')) + 1;
  t.true(line > 0);
  const liar = { ...LIAR, file };
  for (const model of ['sc', 'tso', 'lkmm'] as const)
    for (const variant of ['lies', 'caught']) {
      const e = t.throws(() => exploreVariant(liar, variant, { model, timeoutMs: 60_000 }), {
        instanceOf: UserError,
      });
      t.is(
        e!.message,
        `scenario plain-free-liar, thread p0: ${variant === 'lies' ? 'plain_load' : 'plain_store'}() makes a plain access, but the scenario's model.plainFree says variant ${variant} makes none (use a marked access such as READ_ONCE()/WRITE_ONCE(), or take ${variant} out of model.plainFree)`,
        `${model} ${variant}`,
      );
      t.is((e as UserError).file, file);
      if (variant === 'lies') t.is((e as UserError).pos?.line, line, model);
    }
  // the variant that keeps its word is explored
  const honest = exploreVariant(liar, 'honest', { model: 'lkmm', timeoutMs: 60_000 });
  t.is(honest.outcomes.find((o) => o.outcome === 'one')!.executions, 1);
});

test('model.plainFree: a variant it names must exist, and not be in model.plain too', (t) => {
  const spec = (model: object) => ({
    name: 'decl',
    description: 'd',
    kind: 'long-running' as const,
    memory: { x: 'int' as const },
    variants: { a: 'a', b: 'b' },
    threads: { p0() {} },
    outcomes: { fine: 'acceptable' as const },
    model: { description: 'as written', ...model },
  });
  t.throws(() => defineScenario(spec({ plainFree: ['c'] })), {
    instanceOf: UserError,
    message: /model\.plainFree: no variant c/,
  });
  t.throws(() => defineScenario(spec({ plain: ['a'], plainFree: ['a'] })), {
    instanceOf: UserError,
    message: 'scenario decl: model.plain and model.plainFree both name a',
  });
  t.deepEqual(defineScenario(spec({ plain: ['a'], plainFree: ['b'] })).model?.plainFree, ['b']);
});

test('a refused variant says refused in its extent, not exhaustive', (t) => {
  const r = refusedVariant(CYCLE(), 'plain', 'too big');
  t.deepEqual(r.extent, { kind: 'refused' });
});
