// The tuner's table (smplab run --tune): one row per trial, every knob, its runs, witnesses,
// witness rate and witnesses per second (the score); a trial a machine refused shows its
// reason, one with a state outside the model says so loudly. Rows print as the trials end.

import { KNOB_NAMES, KNOBS, type Knobs } from '../runtime/litmus/knobs.ts';
import { count, rate } from './format.ts';

/** What a row shows of a trial (lab/run-tune.ts TunedTrial). */
export interface TuneRow {
  knobs: Knobs;
  runs?: number;
  witnesses?: number;
  seconds?: number;
  refused?: string;
  outside?: string[];
  confirms?: true;
}

const HEADER = ['#', ...KNOB_NAMES, 'runs', 'runs/s', 'witnesses', 'rate', 'witnesses/s'];
/** Column widths, so that rows printed one at a time line up with the header. */
const WIDTHS = [3, 8, 6, 4, 7, 9, 9, 10, 7, 14, 10, 10, 7, 12];
const RIGHT = new Set([0, 2, 3, 4, 6, 8, 9, 10, 11, 12, 13]);

const show = (k: Knobs) => KNOB_NAMES.map((n) => (KNOBS[n].show as (v: unknown) => string)(k[n]));

const pad = (cells: string[]) =>
  cells
    .map((c, i) => (RIGHT.has(i) ? c.padStart(WIDTHS[i] ?? 0) : c.padEnd(WIDTHS[i] ?? 0)))
    .join('  ')
    .trimEnd();

export function tuneHeader(): string {
  return pad(HEADER);
}

/** 12.34%, or two significant digits below 0.1% (0.0031%): a rare witness still shows. */
export function percent(fraction: number): string {
  const p = 100 * fraction;
  return `${p === 0 || p >= 0.1 ? p.toFixed(2) : p.toPrecision(2)}%`;
}

/** One trial's row; `best` marks the knobs kept. */
export function tuneRow(t: TuneRow, index: number, best = false): string {
  const mark = `${index + 1}${best ? '*' : ''}`;
  if (t.refused) return `${pad([mark, ...show(t.knobs)])}  refused: ${t.refused}`;
  const runs = t.runs ?? 0;
  const witnesses = t.witnesses ?? 0;
  const seconds = Math.max(t.seconds ?? 0, 1e-9);
  const cells = [
    mark,
    ...show(t.knobs),
    count(runs),
    rate(runs / seconds),
    count(witnesses),
    percent(witnesses / Math.max(1, runs)),
    rate(witnesses / seconds),
  ];
  const outside = t.outside?.length ? `  FORBIDDEN  outside the model: ${t.outside.join(' ')}` : '';
  const again = t.confirms ? '  (again, to confirm)' : '';
  return `${pad(cells)}${again}${outside}`;
}
