// The model = herd7 where a cycle of reads-from and data leaves a value nothing determines
// (src/model/solve): herd7 keeps such a value as a symbol (`0:r0=S8`) where it is only copied,
// and has no execution where an operation, a branch or a cmpxchg needs it. herd7's answers are
// recorded in data/thin-air/ (README.md there says how); herd7 never runs here.
//
//   probes/    one rule each: what herd7 computes on an unknown value (`r0 + 0`, `r0 ^ r0`,
//              `r0 == r0`), what it leaves as an equation (`r0 - 0`, `r0 * 2` unused), what a
//              successful cmpxchg determines, symbols in registers and in locations;
//   xrev2/     the adversarial review's tests (branch xrev2, test/explore/data/adversarial-lkmm):
//              M1, M2, D4 (where the model once filled symbols in from its domains), MB5 (where
//              it once missed the value a cmpxchg's success pins), MB6, MP-addr, RD1, C1, C2,
//              D1-D3 and its generated seeds;
//   generated.tsv  herd7's answers for generate-thin-air.ts's tests, by seed.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { Test } from '../../src/litmus/ir.ts';
import { litmusFilesUnder, loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel, runModel } from '../../src/model/index.ts';
import { type HerdOut, herdOut, renumberSymbols } from '../litmus/herd-out.ts';
import { thinAirName, thinAirText } from './generate-thin-air.ts';

const DATA = fileURLToPath(new URL('data/thin-air/', import.meta.url));

/** The model's answer under lkmm as herd7 prints it (pruneMin 1: every cut taken). */
function answer(t: Test, search: 'all' | 'verdict' = 'all'): HerdOut {
  const v = checkModel(t, 'lkmm', { pruneMin: 1, search });
  return {
    states: [...v.states.keys()].sort(),
    counts: `${v.positive}/${v.negative}`,
    observation: v.observation,
  };
}

const recorded = (t: Test): HerdOut => herdOut(readFileSync(`${t.file}.out`, 'utf8'));
const folder = (name: string) => litmusFilesUnder(`${DATA}${name}`).map(loadLitmus);

for (const name of ['probes', 'xrev2'])
  for (const t of folder(name))
    test(`lkmm = herd7 on ${name}/${t.name}`, (a) => {
      a.deepEqual(answer(t), recorded(t));
    });

test('the recorded folders hold the tests this file names', (t) => {
  t.is(folder('probes').length, 14);
  t.is(folder('xrev2').length, 21);
});

test('a symbol is printed S1 and is no constant in the condition (M2: herd7 3/1)', (t) => {
  const m2 = loadLitmus(`${DATA}xrev2/M2.litmus`);
  t.deepEqual(answer(m2), {
    states: ['0:r0=0;', '0:r0=S1;'],
    counts: '3/1',
    observation: 'Sometimes',
  });
});

test('the verdict search and the parallel run count a symbol as herd7 does', async (t) => {
  for (const name of ['M1', 'M2', 'D4']) {
    const x = loadLitmus(`${DATA}xrev2/${name}.litmus`);
    const herd = recorded(x);
    t.is(answer(x, 'verdict').observation, herd.observation, name);
    const v = await runModel(x, 'lkmm', { workers: 2, quickTryMs: 0, timeoutMs: 120_000 });
    t.is(`${v.positive}/${v.negative}`, herd.counts, name);
    t.deepEqual([...v.states.keys()].sort(), herd.states, name);
  }
});

test('renumberSymbols numbers herd7 symbols in the order a state shows them', (t) => {
  t.is(renumberSymbols('0:r0=S12; 0:r1=0; 1:r1=S8; [x]=S12;'), '0:r0=S1; 0:r1=0; 1:r1=S2; [x]=S1;');
});

/** sha256 of the sorted states, one a line: its first 12 hex digits. */
const digest = (states: string[]) =>
  createHash('sha256').update(states.join('\n')).digest('hex').slice(0, 12);

const recordedRows = readFileSync(`${DATA}generated.tsv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t') as [seed: string, hash: string, herd: string]);

/**
 * The rows run here: at most this many executions by herd7's count (382 of the 400; the other
 * 18 take the model seconds each, up to 20 s on a loaded machine, and were compared once by
 * hand: the same answers).
 */
const MAX_EXECUTIONS = 200;
const rows = recordedRows.filter(([, , herd]) => {
  const [pos, neg] = herd.split(' ')[1]!.split('/').map(Number);
  return pos! + neg! <= MAX_EXECUTIONS;
});

test('generated.tsv holds herd7 answers for the generator as it is', (t) => {
  t.deepEqual([recordedRows.length, rows.length], [400, 382]);
  const drifted = recordedRows.filter(
    ([seed, hash]) => parseLitmus(thinAirText(Number(seed)), 'x.litmus').herdHash !== hash,
  );
  t.deepEqual(
    drifted.map(([seed]) => seed),
    [],
  );
});

/**
 * Seeds where the model still differs from herd7, each a test.failing below. 253: herd7 drops
 * an execution every value of which its equations determine: a chain of `x := y` equations
 * (a plain read takes a copy of a copy of a value read) that herd7's solver leaves over as
 * `0:=S13` (seemingly its union-find, herd/partition.ml's as_solution, maps a variable to its
 * parent rather than to its class's representative), so the model has 102/78, herd7 98/78.
 */
const KNOWN: Record<string, string> = {
  '253': "herd7's solver leaves a chain of equalities unsolved",
};

/** How the model differs from a row's herd7 answer; undefined when it agrees. */
function generatedDifference([seed, , herd]: [string, string, string]): string | undefined {
  const name = thinAirName(Number(seed));
  const a = answer(parseLitmus(thinAirText(Number(seed)), `${name}.litmus`));
  const ours = `${a.observation} ${a.counts} ${a.states.length} ${digest(a.states)}`;
  return ours === herd ? undefined : `${name}: model ${ours}, herd7 ${herd}`;
}

// Chunks of rows, so that ava spreads them over its workers.
const CHUNK = 50;
const agreeing = rows.filter(([seed]) => !(seed in KNOWN));
for (let from = 0; from < agreeing.length; from += CHUNK)
  test(`lkmm = herd7 on generated tests ${from + 1}-${Math.min(from + CHUNK, agreeing.length)} of ${agreeing.length}`, (t) => {
    const differ = agreeing.slice(from, from + CHUNK).flatMap((r) => generatedDifference(r) ?? []);
    t.deepEqual(differ, []);
  });

for (const row of rows.filter(([seed]) => seed in KNOWN))
  test.failing(`lkmm = herd7 on ${thinAirName(Number(row[0]))}: ${KNOWN[row[0]]}`, (t) => {
    t.is(generatedDifference(row), undefined);
  });
