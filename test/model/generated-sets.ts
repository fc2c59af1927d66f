// The generated tests whose herd7 answers data/thin-air/ records (thin-air.test.ts compares the
// model with them; record-thin-air.ts writes the tables): a name and a text per seed.

import { dataLbText } from '../explore/generate-data-lb.ts';
import { thinAirName, thinAirText } from './generate-thin-air.ts';

export interface GeneratedSet {
  name: (seed: number) => string;
  text: (seed: number) => string;
  /** The table of herd7's answers, in data/thin-air/. */
  tsv: string;
}

export const GENERATED = {
  /** generate-thin-air.ts: cycles with copies, arithmetic, branches and rmws on their values. */
  'thin-air': { name: thinAirName, text: thinAirText, tsv: 'generated.tsv' },
  /** xrev2's load buffering through plain accesses with computed values (generate-data-lb.ts). */
  'data-lb-plain': {
    name: (seed: number) => `data-lb-plain-${seed}`,
    text: (seed: number) => dataLbText(seed, true),
    tsv: 'data-lb-plain.tsv',
  },
} satisfies Record<string, GeneratedSet>;
