// `smplab compare <results dir>...`: the runs saved in result folders (one machine's, or a
// merged folder of many) side by side, test by test, one line per run and backend — host,
// engine, Observation, witnesses/runs, states outside the model — so that the same test on
// several machines and engines reads as one table, as litmus7's and jcstress' comparisons do.

import { count, table } from './format.ts';
import { gradeRecord } from './grade.ts';
import type { ResultRecord } from './records.ts';

export function formatRecordComparison(records: ResultRecord[]): string {
  const byTest = new Map<string, ResultRecord[]>();
  for (const r of records.filter((r) => r.kind === 'litmus'))
    byTest.set(r.name, [...(byTest.get(r.name) ?? []), r]);
  const sections: string[] = [];
  for (const [name, runs] of [...byTest].sort(([a], [b]) => a.localeCompare(b))) {
    const model = [...runs].reverse().find((r) => r.modelAnswer)?.modelAnswer;
    const head = `Test ${name}${runs[0]!.expected ? `  Result: ${runs[0]!.expected}` : ''}${model ? `  model ${model.model}: ${model.observation}` : ''}`;
    const rows = [
      ['host', 'engine', 'backend', 'observation', 'witnesses / runs', 'outside the model'],
    ];
    for (const r of runs) {
      const g = gradeRecord(r);
      for (const b of g.backends)
        rows.push([
          r.hostLabel,
          r.engineLabel,
          b.backend,
          b.observation,
          `${count(b.positive)} / ${count(b.runs)}`,
          b.outside.length > 0 ? `FORBIDDEN: ${b.outside.join(' | ')}` : '-',
        ]);
    }
    sections.push(
      rows.length > 1 ? `${head}\n${table(rows, new Set([4]))}` : `${head}\n(model only)`,
    );
  }
  const programs = records.filter((r) => r.kind === 'program').length;
  if (programs > 0)
    sections.push(`(${programs} program scenario runs: smplab report shows them side by side)`);
  return sections.join('\n\n');
}
