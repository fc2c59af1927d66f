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
//   generated.tsv  herd7's answers for generate-thin-air.ts's tests, by seed;
//   data-lb-plain.tsv  herd7's answers for xrev2's test/explore/generate-data-lb.ts (plain), by seed.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { Test } from '../../src/litmus/ir.ts';
import { litmusFilesUnder, loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { sortedKeys } from '../../src/litmus/state.ts';
import { checkModel, explain, runModel } from '../../src/model/index.ts';
import { type HerdOut, herdOut, renumberSymbols } from '../litmus/herd-out.ts';
import { GENERATED, type GeneratedSet } from './generated-sets.ts';

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

test('--explain finds no witness in an instance of a symbol (M1: r0=7 only round the cycle)', (t) => {
  const m1 = loadLitmus(`${DATA}xrev2/M1.litmus`);
  t.regex(explain(m1, 'lkmm')[0]!, /the condition exists \(0:r0=7\) is never reached\.$/);
});

test('renumberSymbols numbers herd7 symbols in the order a state shows them', (t) => {
  t.is(renumberSymbols('0:r0=S12; 0:r1=0; 1:r1=S8; [x]=S12;'), '0:r0=S1; 0:r1=0; 1:r1=S2; [x]=S1;');
});

/** sha256 of the sorted states, one a line: its first 12 hex digits. */
const digest = (states: string[]) =>
  createHash('sha256').update(states.join('\n')).digest('hex').slice(0, 12);

type Row = [seed: string, hash: string, herd: string];

/**
 * The rows run here: at most this many executions by herd7's count (the others take the model
 * seconds each, up to 20 s on a loaded machine; they were compared once by hand, with the same
 * outcome as the rows run here).
 */
const MAX_EXECUTIONS = 200;

/**
 * Per set: how many rows it records and runs, and the seeds where the model still differs
 * from herd7, each a test.failing below. Every one of those is an execution all of whose values
 * herd7's own equations determine but its solver leaves unsolved (an equation such as `0:=S13`
 * or `1:=S7-1` left over; seemingly its union-find, herd/partition.ml's as_solution, maps a
 * variable to its parent rather than to its class's representative, and its fixpoint stops
 * short): the model keeps the execution, herd7 drops it.
 */
const SETS: Record<
  keyof typeof GENERATED,
  { rows: [number, number]; known: Record<string, string> }
> = {
  'thin-air': { rows: [400, 382], known: { '253': 'model 102/78, herd7 98/78' } },
  'data-lb-plain': {
    rows: [999, 974],
    known: { '314': 'model 10/5, herd7 10/4', '882': 'model 0/106, herd7 0/98' },
  },
};

function rowsOf(set: GeneratedSet): Row[] {
  return readFileSync(`${DATA}${set.tsv}`, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t') as Row);
}

const executions = ([, , herd]: Row) =>
  herd
    .split(' ')[1]!
    .split('/')
    .map(Number)
    .reduce((a, b) => a + b, 0);

/** How the model differs from a row's herd7 answer; undefined when it agrees. */
function difference(set: GeneratedSet, [seed, , herd]: Row): string | undefined {
  const name = set.name(Number(seed));
  const a = answer(parseLitmus(set.text(Number(seed)), `${name}.litmus`));
  const ours = `${a.observation} ${a.counts} ${a.states.length} ${digest(a.states)}`;
  return ours === herd ? undefined : `${name}: model ${ours}, herd7 ${herd}`;
}

// Chunks of rows, so that ava spreads them over its workers.
const CHUNK = 100;
for (const [key, { rows: counts, known }] of Object.entries(SETS)) {
  const set: GeneratedSet = GENERATED[key as keyof typeof GENERATED];
  const recordedRows = rowsOf(set);
  const rows = recordedRows.filter((r) => executions(r) <= MAX_EXECUTIONS);
  test(`${set.tsv} holds herd7's answers for the generator as it is`, (t) => {
    t.deepEqual([recordedRows.length, rows.length], counts);
    const drifted = recordedRows.filter(
      ([seed, hash]) => parseLitmus(set.text(Number(seed)), 'x.litmus').herdHash !== hash,
    );
    t.deepEqual(
      drifted.map(([seed]) => seed),
      [],
    );
  });
  const agreeing = rows.filter(([seed]) => !(seed in known));
  for (let from = 0; from < agreeing.length; from += CHUNK)
    test(`lkmm = herd7 on ${key} tests ${from + 1}-${Math.min(from + CHUNK, agreeing.length)} of ${agreeing.length}`, (t) => {
      const differ = agreeing.slice(from, from + CHUNK).flatMap((r) => difference(set, r) ?? []);
      t.deepEqual(differ, []);
    });
  for (const row of rows.filter(([seed]) => seed in known)) {
    test.failing(`lkmm = herd7 on ${set.name(Number(row[0]))} (herd7's solver leaves a solvable equation: ${known[row[0]]})`, (t) => {
      t.is(difference(set, row), undefined);
    });
    // What the test.failing above fails on is the difference `known` records, no other (a
    // test.failing passes on any failure: an answer changed another way would go unseen).
    test(`${set.name(Number(row[0]))} differs from herd7 as recorded: ${known[row[0]]}`, (t) => {
      const [, model, herd] = /^model (\S+), herd7 (\S+)$/.exec(known[row[0]]!)!;
      t.regex(
        difference(set, row) ?? '',
        new RegExp(`: model \\S+ ${model} .*, herd7 \\S+ ${herd} `),
      );
    });
  }
}

test('the model block lists a symbol before a number, as herd7 does (shared-symbol)', (t) => {
  const x = loadLitmus(`${DATA}probes/shared-symbol.litmus`);
  const herdLines = readFileSync(`${x.file}.out`, 'utf8').split('\n');
  const at = herdLines.findIndex((l) => l.startsWith('States '));
  const herd = herdLines.slice(at + 1, at + 4).map(renumberSymbols);
  t.deepEqual(sortedKeys(checkModel(x, 'lkmm').states.keys()), herd);
});
