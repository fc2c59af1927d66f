// `smplab run T --tune` (or a family: `run SB --tune`): the table of trials as they end, then
// the best knobs and where they were saved. The lab searches and saves (lab/run-tune.ts).

import { UserError } from '../errors.ts';
import { familyOf } from '../lab/knobs.ts';
import { loadTest } from '../lab/plan.ts';
import { runTune, type TuneRun } from '../lab/run-tune.ts';
import { count, rate } from '../report/format.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { percent, tuneHeader, tuneRow } from '../report/tune-text.ts';
import { describeEngine } from '../runtime/identity.ts';
import { knobsChanged } from '../runtime/litmus/knobs.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { litmusRequest } from './run-litmus.ts';
import { RUN_LITMUS } from './schema.ts';

/** Tune on the tests at `paths`; `family` names a family asked for by its pattern. */
export async function tuneCommand(
  paths: string[],
  family: string | undefined,
  line: CommandLine,
  signal: AbortSignal,
): Promise<number> {
  const flags = takeFlags(line, RUN_LITMUS, family ? `the ${family} family` : 'a litmus test');
  for (const f of ['ablate', 'explain', 'junit', 'dot', 'svg'] as const)
    if (flags[f]) throw new UserError(`--${f} does not go with --tune: run the test without it`);
  const tests = paths.map(loadTest);
  const name = family ?? familyOf(tests[0]!.name);
  const json = flags.json;
  if (!json) console.log(tuneHeader());
  const run = await runTune(tests, name, await litmusRequest(line, flags), {
    signal,
    onTrial: (t, i) => {
      if (!json) console.log(tuneRow(t, i));
    },
  });
  if (json) console.log(JSON.stringify(run, mapsAsObjects, 2));
  else console.log(`\n${summary(run)}`);
  return run.status;
}

function summary(run: TuneRun): string {
  const lines: string[] = [];
  const host = run.best?.host ?? run.trials.find((t) => t.host)?.host;
  const where = host
    ? `${host.cpuModel}, ${host.cores} CPUs, ${describeEngine(host.engine)}`
    : (run.engine ?? 'this process');
  lines.push(
    `Tuned ${run.family} on ${run.backend} (${where}): ${count(run.trials.length)} trial${run.trials.length === 1 ? '' : 's'} in ${run.seconds.toFixed(0)} s (budget ${run.budgetSeconds} s); score: witnesses per second of running`,
  );
  for (const t of run.targets)
    if (t.relaxed) lines.push(`  ${t.of} is Never: measured on its relaxation (no barriers)`);
  for (const u of run.untunable) lines.push(`  ${u.name}: not measured — ${u.reason}`);
  const b = run.best;
  if (b && b.runs !== undefined && b.seconds) {
    const i = run.trials.findIndex((t) => t.knobs === b.knobs) + 1;
    const changed = knobsChanged(b.knobs) || 'the defaults';
    const w = b.witnesses ?? 0;
    const again = run.trials.some((t) => t.confirms && t.knobs === b.knobs);
    const pooled = again ? ', as measured again' : '';
    lines.push(
      `Best: #${i} (${changed}${pooled}): ${rate(w / b.seconds)} witnesses, ${percent(w / Math.max(1, b.runs))} of ${rate(b.runs / b.seconds)} runs`,
    );
  }
  if ('path' in run.saved)
    lines.push(
      `Saved as this machine's preset for ${run.family} in ${run.saved.path}: later runs of ${run.family} tests use it (--untuned sets it aside)`,
    );
  else lines.push(`Not saved: ${run.saved.not}`);
  if (run.status !== 0)
    lines.push('FAILURE: a trial showed a state outside the model (see FORBIDDEN above)');
  return lines.join('\n');
}
