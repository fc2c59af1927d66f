// `smplab run <name|file>`: a litmus test (run-litmus.ts) or a program scenario
// (run-scenario.ts), each module loaded only for its kind. Several names, files or folders (or
// --shard I/N) run a corpus: each of its tests in turn, or the I-th of N parts of it for a CI
// matrix (lab/shard.ts), each saving its record as a single run does; `merge` and `report`
// join the parts. Options that write one file per run (--junit, --dot, --svg) take one test.
// A scenario's --explain names the outcome to explain after the scenario:
// `run atomic-bool --explain "flag seen, data stale"`.
// With --tune, one test or a family (SB): tune.ts.

import { existsSync, statSync } from 'node:fs';
import { UserError } from '../errors.ts';
import { resolveTarget, runTargets, type Target, targetKey } from '../lab/resolve.ts';
import { type Shard, shardOf, shardSummary } from '../lab/shard.ts';
import { counted } from '../report/format.ts';
import { FLAGS } from './flags.ts';
import type { CommandLine } from './parse.ts';

/** What a run of one test writes to a file named on the command line. */
const ONE_FILE = ['junit', 'dot', 'svg'] as const;

export async function runCommand(line: CommandLine, signal: AbortSignal): Promise<number> {
  if (line.args.length === 0)
    throw new UserError(
      'run takes a test or scenario name, or files and folders (smplab list shows them)',
    );
  if (line.given.tune) return tuneCommand(line, signal);
  const explained = explainedOutcome(line);
  if (explained) return runOne(explained.target, explained.word, line, signal, explained.outcome);
  const shard = FLAGS.shard.read(line.given.shard, '--shard');
  const folder = line.args.some((a) => existsSync(a) && statSync(a).isDirectory());
  if (line.args.length === 1 && !folder && !shard)
    return runOne(resolveTarget(line.args[0]!), line.args[0]!, line, signal);
  for (const flag of ONE_FILE)
    if (line.given[flag] !== undefined)
      throw new UserError(
        `--${flag} writes one file for one test: run each test alone, or use check --junit`,
      );
  return runCorpus(runTargets(line.args), shard, line, signal);
}

/**
 * With --explain, a scenario's name and the words of the outcome to explain: after the name
 * (`run atomic-bool --explain stale`), or before it (`run --explain stale atomic-bool`).
 */
function explainedOutcome(
  line: CommandLine,
): { target: Target; word: string; outcome: string } | undefined {
  const { args } = line;
  if (!line.given.explain || args.length < 2) return undefined;
  const first = args[0]!;
  const last = args.at(-1)!;
  const named = scenarioNamed(first);
  if (named) return { target: named, word: first, outcome: args.slice(1).join(' ') };
  const after = scenarioNamed(last);
  if (after) return { target: after, word: last, outcome: args.slice(0, -1).join(' ') };
  return undefined;
}

/** The program scenario `word` names, if it names one (not a folder, a litmus test or nothing). */
function scenarioNamed(word: string): Target | undefined {
  if (existsSync(word) && statSync(word).isDirectory()) return undefined;
  try {
    const target = resolveTarget(word);
    return target.kind === 'program' ? target : undefined;
  } catch (e) {
    if (e instanceof UserError) return undefined;
    throw e;
  }
}

function runOne(
  target: Target,
  word: string,
  line: CommandLine,
  signal: AbortSignal,
  outcome?: string,
): Promise<number> {
  if (target.kind === 'program')
    return import('./run-scenario.ts').then((m) =>
      m.runScenarioCommand(target, word, line, signal, outcome),
    );
  return import('./run-litmus.ts').then((m) => m.runLitmusCommand(target.path, line, signal));
}

/** Each test of the corpus (or of its shard), in turn; the worst exit status. */
async function runCorpus(
  all: Target[],
  shard: Shard | undefined,
  line: CommandLine,
  signal: AbortSignal,
): Promise<number> {
  const mine = shardOf(all, targetKey, shard);
  let status = 0;
  let ran = 0;
  for (const t of mine) {
    if (signal.aborted) break;
    if (ran > 0) console.log('');
    status = Math.max(status, await runOne(t, targetKey(t), line, signal));
    ran++;
  }
  if (shard && mine.length === 0) console.log(shardSummary(shard, 0, all.length));
  else {
    const part = shard ? ` (${shardSummary(shard, mine.length, all.length)})` : '';
    console.log(`\n${ran} of ${counted(mine.length, 'test')} run${part}`);
  }
  return status;
}

/** `run T --tune` on one test, or a pattern with no test of its name: its family of corpus tests. */
async function tuneCommand(line: CommandLine, signal: AbortSignal): Promise<number> {
  if (line.args.length !== 1 || line.given.shard !== undefined)
    throw new UserError('--tune tunes one test or one family (SB, MP…): name one, without --shard');
  const word = line.args[0]!;
  const { familyFiles } = await import('../lab/tune-targets.ts');
  const family = familyFiles(word);
  if (family) return (await import('./tune.ts')).tuneCommand(family, word, line, signal);
  const target = resolveTarget(word);
  // A program scenario has no knobs: its own command says so.
  if (target.kind === 'program') return runOne(target, word, line, signal);
  return (await import('./tune.ts')).tuneCommand([target.path], undefined, line, signal);
}
