// What herd7 printed for a test, as the tests compare it: its final states (sorted), its
// Positive/Negative counts and its observation. Read from herd7's output as recorded beside
// the fixtures (herd7 itself never runs in a test).

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
    states: lines.slice(at + 1, at + 1 + n).sort(),
    counts: `${obs[2]}/${obs[3]}`,
    observation: obs[1]!,
  };
}
