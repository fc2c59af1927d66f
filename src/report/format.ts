// Small printers shared by every report: counts with thousands separators, durations, rates,
// and left/right padded table cells. Nothing here knows what a test or a scenario is.

/**
 * 1,234,567. Not toLocaleString: its first call loads ICU's locale data, 10 ms of every
 * command's start (the README's main command has half a second in all).
 */
export const count = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ',');

/** `1 test`, `1,200 tests`: a count and its noun (a regular plural). */
export const counted = (n: number, noun: string): string =>
  `${count(n)} ${noun}${n === 1 ? '' : 's'}`;

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** 7.5 M/s, 394 k/s, 12/s */
export function rate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(0)}/s`;
}

/** A plain-text table: columns padded to their widest cell; `right` columns are right-aligned. */
export function table(rows: string[][], right: ReadonlySet<number> = new Set()): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What a column or row of runs stepped in process says (runtime/litmus/stepped.ts). */
export const SEEDED = ' (in process, seeded: the same at any load)';
