// Conformance with herd7 running the kernel's own model: for every kernel litmus test in
// ../shared/lkmm/litmus-tests, checkModel(…, 'lkmm') gives the same Observation, the same
// Positive/Negative execution counts and the same set of final states as herd7's output in
// ../shared/lkmm/herd7-out. Skipped, saying so, where ../shared is absent (a user's clone).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = `${ROOT}../shared/lkmm`;

interface HerdResult {
  states: string[];
  positive: number;
  negative: number;
  observation: string;
}

/** The parts of a herd7 .out file the comparison needs. */
function parseHerdOut(text: string): HerdResult {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('States '));
  const count = Number(lines[at]!.slice('States '.length));
  const witnesses = /Positive: (\d+) Negative: (\d+)/.exec(text);
  const observation = /^Observation \S+ (Never|Sometimes|Always)/m.exec(text);
  if (at < 0 || !witnesses || !observation) throw new Error('not a herd7 output');
  return {
    states: lines.slice(at + 1, at + 1 + count).map((l) => l.trim()),
    positive: Number(witnesses[1]),
    negative: Number(witnesses[2]),
    observation: observation[1]!,
  };
}

if (!existsSync(`${SHARED}/litmus-tests`)) {
  test.skip(`conformance with herd7: ${SHARED} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  for (const file of readdirSync(`${SHARED}/litmus-tests`)
    .filter((f) => f.endsWith('.litmus'))
    .sort()) {
    test(`lkmm = herd7 on ${file}`, (t) => {
      const herd = parseHerdOut(readFileSync(`${SHARED}/herd7-out/${file}.out`, 'utf8'));
      const v = checkModel(loadLitmus(`${SHARED}/litmus-tests/${file}`), 'lkmm');
      t.is(v.observation as string, herd.observation);
      t.deepEqual([v.positive, v.negative], [herd.positive, herd.negative]);
      t.deepEqual([...v.states.keys()].sort(), [...herd.states].sort());
    });
  }
}

test('parseHerdOut reads states, counts and the observation', (t) => {
  const out = [
    'Test SB Allowed',
    'States 2',
    '0:r0=0; 1:r0=0;',
    '0:r0=1; 1:r0=0;',
    'Ok',
    'Witnesses',
    'Positive: 1 Negative: 1',
    'Observation SB Sometimes 1 1',
  ].join('\n');
  t.deepEqual(parseHerdOut(out), {
    states: ['0:r0=0; 1:r0=0;', '0:r0=1; 1:r0=0;'],
    positive: 1,
    negative: 1,
    observation: 'Sometimes',
  });
});
