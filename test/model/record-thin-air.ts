// Writes data/thin-air/generated.tsv from herd7's outputs for generate-thin-air.ts's tests
// (data/thin-air/README.md says how they were made): one row per seed with an output, herd7's
// Hash=, and its observation, counts, number of states and their digest as thin-air.test.ts
// compares them. Run by hand: npx tsx test/model/record-thin-air.ts DIR FROM TO

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { herdOut } from '../litmus/herd-out.ts';
import { thinAirName } from './generate-thin-air.ts';

const [dir, from, to] = process.argv.slice(2);
if (!dir || !from || !to) throw new Error('usage: record-thin-air.ts DIR FROM TO');
const rows = ['seed\therd7 Hash\therd7: observation positive/negative states digest'];
for (let seed = Number(from); seed <= Number(to); seed++) {
  const out = `${dir}/${thinAirName(seed)}.litmus.out`;
  if (!existsSync(out)) continue;
  const text = readFileSync(out, 'utf8');
  const hash = /^Hash=(\w+)/m.exec(text);
  if (!hash || !text.includes('\nObservation ')) continue;
  const h = herdOut(text);
  const digest = createHash('sha256').update(h.states.join('\n')).digest('hex').slice(0, 12);
  rows.push(`${seed}\t${hash[1]}\t${h.observation} ${h.counts} ${h.states.length} ${digest}`);
}
const tsv = fileURLToPath(new URL('data/thin-air/generated.tsv', import.meta.url));
writeFileSync(tsv, `${rows.join('\n')}\n`);
console.log(`${rows.length - 1} rows written to ${tsv}`);
