// What every bench reports of its trials: the median, so that one disturbed trial does not move it.

/** The middle value (the upper middle of an even count). */
export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
