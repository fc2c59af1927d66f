// Writes a table of herd7's answers for generated tests (data/thin-air/README.md says how the
// outputs were made): one row per seed with an output, herd7's Hash=, and its observation,
// counts, number of states and their digest as thin-air.test.ts compares them.
// Run by hand: npx tsx test/model/record-thin-air.ts GENERATOR DIR FROM TO
// (GENERATOR: a key of GENERATED in generated-sets.ts; DIR holds NAME.litmus.out per seed).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { herdOut } from '../litmus/herd-out.ts';
import { GENERATED } from './generated-sets.ts';

const [generator, dir, from, to] = process.argv.slice(2);
const set = GENERATED[generator as keyof typeof GENERATED];
if (!set || !dir || !from || !to)
  throw new Error(`usage: record-thin-air.ts ${Object.keys(GENERATED).join('|')} DIR FROM TO`);
const rows = ['seed\therd7 Hash\therd7: observation positive/negative states digest'];
for (let seed = Number(from); seed <= Number(to); seed++) {
  const out = `${dir}/${set.name(seed)}.litmus.out`;
  if (!existsSync(out)) continue;
  const text = readFileSync(out, 'utf8');
  const hash = /^Hash=(\w+)/m.exec(text);
  if (!hash || !text.includes('\nObservation ')) continue;
  const h = herdOut(text);
  const digest = createHash('sha256').update(h.states.join('\n')).digest('hex').slice(0, 12);
  rows.push(`${seed}\t${hash[1]}\t${h.observation} ${h.counts} ${h.states.length} ${digest}`);
}
const tsv = fileURLToPath(new URL(`data/thin-air/${set.tsv}`, import.meta.url));
writeFileSync(tsv, `${rows.join('\n')}\n`);
console.log(`${rows.length - 1} rows written to ${tsv}`);
