// What herd7 printed for a test, as the tests compare it: its final states (sorted), its
// Positive/Negative counts and its observation. Read from herd7's output as recorded beside
// the fixtures (herd7 itself never runs in a test).
//
// A value herd7 leaves symbolic prints as `S` and the number of its variable (`0:r0=S8;`),
// a number the model cannot know: the model numbers its symbols S1, S2, ... in the order a
// state shows them, and herd7's states are read renumbered the same way (two of herd7's states
// that differ only in their variables' numbers are then one).

export interface HerdOut {
  states: string[];
  counts: string;
  observation: string;
}

/** herd7's states, counts and observation, from its printed output. */
export function herdOut(text: string): HerdOut {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('States '));
  const n = Number(lines[at]!.slice('States '.length));
  const obs = /^Observation \S+ (\w+) (\d+) (\d+)/m.exec(text)!;
  return {
    states: [
      ...new Set(lines.slice(at + 1, at + 1 + n).map((l) => renumberSymbols(l.trim()))),
    ].sort(),
    counts: `${obs[2]}/${obs[3]}`,
    observation: obs[1]!,
  };
}

/** A state line with its symbols renumbered S1, S2, ... in the order they first appear. */
export function renumberSymbols(state: string): string {
  const numbers = new Map<string, number>();
  return state.replace(/=S(\d+);/g, (_, v: string) => {
    if (!numbers.has(v)) numbers.set(v, numbers.size + 1);
    return `=S${numbers.get(v)};`;
  });
}
