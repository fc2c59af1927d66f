// The classic shapes of test6.pdf and the kernel's litmus-tests, each as its cycle with plain
// program order inside threads: the skeleton every variant of the pattern shares. Rows are
// written in the rotation the kernel's names use (thread P0 first); the skeletons are those
// of the Orig= lines of the kernel's diy7-made tests (../shared/lkmm-luc).

import { didYouMean, UserError } from '../errors.ts';
import { type Cycle, parseCycle } from './cycle.ts';

export const PATTERNS: Readonly<Record<string, string>> = {
  SB: 'PodWR Fre PodWR Fre',
  MP: 'PodWW Rfe PodRR Fre',
  LB: 'PodRW Rfe PodRW Rfe',
  S: 'PodWW Rfe PodRW Wse',
  R: 'PodWW Wse PodWR Fre',
  '2+2W': 'PodWW Wse PodWW Wse',
  WRC: 'Rfe PodRW Rfe PodRR Fre',
  ISA2: 'PodWW Rfe PodRW Rfe PodRR Fre',
  IRIW: 'Rfe PodRR Fre Rfe PodRR Fre',
  RWC: 'Rfe PodRR Fre PodWR Fre',
  WWC: 'Rfe PodRW Rfe PodRW Wse',
  'W+RWC': 'PodWW Rfe PodRR Fre PodWR Fre',
  'WRR+2W': 'Rfe PodRR Fre PodWW Wse',
  'WRW+2W': 'Rfe PodRW Wse PodWW Wse',
  'WRW+WR': 'Rfe PodRW Wse PodWR Fre',
  IRRWIW: 'Rfe PodRR Fre Rfe PodRW Wse',
  IRWIW: 'Rfe PodRW Wse Rfe PodRW Wse',
  'Z6.0': 'PodWW Rfe PodRW Wse PodWR Fre',
  'Z6.1': 'PodWW Wse PodWW Rfe PodRW Wse',
  'Z6.2': 'PodWW Rfe PodRW Rfe PodRW Wse',
  'Z6.3': 'PodWW Wse PodWW Rfe PodRR Fre',
  'Z6.4': 'PodWW Wse PodWR Fre PodWR Fre',
  'Z6.5': 'PodWW Wse PodWW Wse PodWR Fre',
  '3.SB': 'PodWR Fre PodWR Fre PodWR Fre',
  '3.LB': 'PodRW Rfe PodRW Rfe PodRW Rfe',
  '3.2W': 'PodWW Wse PodWW Wse PodWW Wse',
};

export const PATTERN_NAMES = Object.keys(PATTERNS);

/** The pattern's skeleton cycle; the name is matched ignoring case (mp is MP). */
export function patternCycle(name: string): { name: string; cycle: Cycle } {
  const found = PATTERN_NAMES.find((p) => p.toLowerCase() === name.toLowerCase());
  if (found === undefined) {
    throw new UserError(
      `unknown pattern '${name}'${didYouMean(name, PATTERN_NAMES)}; smplab gen knows ` +
        `${PATTERN_NAMES.join(', ')} (or give any cycle with --cycle)`,
    );
  }
  return { name: found, cycle: parseCycle(PATTERNS[found]!) };
}

/** A cycle's shape: every edge inside a thread as Pod with its directions, annotations dropped. */
export function skeleton(c: Cycle): string {
  return c.edges.map((e) => (e.row.kind === 'com' ? e.row.base : `Pod${e.src}${e.dst}`)).join(' ');
}
