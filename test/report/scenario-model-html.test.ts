// `smplab report` of a scenario run on the model with --explain and --ablate: the scenario's page
// shows the kept explanation (its text and its graph, drawn by the litmus tests' code) and the
// ablation table, from the record alone; the index puts its model run in the model column.

import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { smplab, smplabIn } from '../cli/smplab.ts';

test('report draws a scenario explanation and lists its ablation', async (t) => {
  const run = await smplab(
    'run',
    'atomic-bool',
    '--on',
    'model',
    '--variant',
    'wmb-rmb',
    '--explain',
    'stale',
    '--ablate',
  );
  t.teardown(() => rmSync(run.results, { recursive: true, force: true }));
  t.is(run.code, 0, run.stderr);
  const out = join(run.results, 'html');
  const report = await smplabIn(run.results, 'report', run.results, '-o', out);
  t.is(report.code, 0, report.stderr);
  const page = readdirSync(out).find((f) => f.startsWith('program-atomic-bool-'));
  t.truthy(page, 'the scenario has its page');
  // The index has one model column, and the scenario's explored variants are in it.
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  const head = /<thead>[\s\S]*?<\/thead>/.exec(index)?.[0] ?? '';
  t.is(head.match(/<th>model<\/th>/g)?.length, 1, head);
  t.regex(
    index,
    /<td data-label="model">1 variant, 0 failures<span class="sub">1 run<\/span><\/td>/,
  );
  const html = readFileSync(join(out, page!), 'utf8');
  // The model run's verdicts, as the CLI prints them.
  t.regex(html, /<td class="quiet"[^>]*>never — exhaustive, 5 executions<\/td>/);
  t.regex(html, /<h3>Explanation: "flag seen, data stale" in wmb-rmb under lkmm<\/h3>/);
  t.regex(html, /: never — exhaustive, 5 executions\./);
  // The forbidding cycle drawn: its title, and the events named by their call and line.
  t.regex(html, /<svg[^>]*>[\s\S]*forbidden under lkmm by happens&#45;before/);
  t.regex(html, /READ_ONCE\(\) at atomic&#45;bool\.ts:\d+/);
  t.regex(
    html,
    /<td[^>]*>smp_wmb\(\) at atomic-bool\.ts:\d+<\/td><td[^>]*>writer<\/td><td[^>]*>removed<\/td><td class="forbidden"[^>]*>flag seen, data stale \(forbidden\)<\/td>/,
  );
});
