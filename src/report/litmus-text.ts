// The text report of one litmus test: herd7's lines for the model and litmus7's for the runs,
// exactly as those tools print them (herd-log.ts), so that people who know them read it at
// once and mcompare7 and the kernel's judgelitmus.sh read it as their logs; jcstress' grading
// beside each state, as a `#` comment those readers skip.
//
//   Test SB+poonceonces Allowed
//   File scenarios/litmus/SB+poonceonces.litmus
//   model lkmm: Sometimes — 4 final states allowed, condition reachable (4 executions, 0.00 s)
//   States 4 … Ok … Witnesses … Condition … Observation … Time … Hash=…     (herd7's block)
//   hw x64 AMD EPYC, 2 CPUs, node 20.20.2: 5,000,000 runs in 0.61 s …
//   Histogram (4 states)
//   1165071*>0:r0=0; 1:r0=0;  # allowed, interesting
//   … Ok, Witnesses, Condition … is validated, Hash=, Observation, Time   (litmus7's block)
//
// One section per backend, the model's first (judgelitmus.sh reads the first Observation; a
// log reader reads the block after the Test line). A state outside a backend's bounds (lkmm,
// and tso for hw's x86 mapping) is printed loudly as "outside the model", after its block:
// never hidden. One the graded model (--model) forbids but the bounds allow is graded as such,
// quietly: that model is stronger than this machine.

import type { BackendResult } from '../backends/backend.ts';
import { type Breach, boundsAllowing, type Grading, uncheckedText } from '../backends/soundness.ts';
import { cut, escapeControls, MESSAGE_WIDTH, type SourcePos } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { type Histogram, satisfies, sortedKeys, witnessCounts } from '../litmus/state.ts';
import { hostMemoryKind } from '../memory/kinds.ts';
import type { Verdict } from '../model/index.ts';
import type { HostInfo } from '../runtime/host.ts';
import { describeEngine } from '../runtime/identity.ts';
import { type KnobsOrigin, knobsChanged } from '../runtime/litmus/knobs.ts';
import type { RunFault, RunsResult } from '../runtime/litmus/run.ts';
import { count, rate, seconds, table } from './format.ts';
import { herdBlock, histogramLine, litmusTail, testLine } from './herd-log.ts';

export interface LitmusReport {
  test: Test;
  host: HostInfo;
  results: BackendResult[];
  grading: Grading;
  /** Where the knobs of the threads backends came from (the plan's). */
  knobs?: KnobsOrigin;
}

export function formatLitmusReport(r: LitmusReport): string {
  const lines = [testLine(r.test), `File ${r.test.file}`];
  if (r.test.expected) lines.push(`Result line: ${r.test.expected}`);
  const found = r.grading.breaches;
  // The model's block first: the one a log reader takes for the test's.
  const ordered = [...r.results].sort((a, b) => Number(!a.verdict) - Number(!b.verdict));
  let knobsSaid = false;
  for (const res of ordered) {
    if (res.tag === 'refused') lines.push(`${res.backend}: not run — ${res.reason}`);
    else if (res.tag === 'gave-up') lines.push(`${res.backend}: gave up — ${res.reason}`);
    else if (res.tag === 'faulted') lines.push(faultLine(res.backend, r.test.file, res));
    else if (res.verdict && res.tag === 'interrupted')
      lines.push(interruptedLine(res.backend, res.verdict));
    else if (res.verdict) lines.push(verdictLine(res.verdict), ...modelBlock(r.test, res.verdict));
    else if (res.runs) {
      lines.push(runsLine(res.backend, res.runs, res.runs.host ?? r.host));
      if (r.knobs && !knobsSaid) lines.push(knobsLine(r.knobs));
      knobsSaid = true;
      lines.push(
        ...histogramLines(r.test, res.backend, res.runs, r.grading, found),
        ...stuckLines(res.runs),
      );
    }
  }
  for (const u of r.grading.unchecked)
    lines.push(`soundness not checked against ${uncheckedText(u)}`);
  return lines.join('\n');
}

export function verdictLine(v: Verdict): string {
  const reach = v.positive > 0 ? 'condition reachable' : 'condition unreachable';
  const on = v.workers ? ` on ${v.workers} worker threads` : '';
  return `model ${v.model}: ${v.observation} — ${v.states.size} final states allowed, ${reach} (${count(
    v.executions,
  )} executions${on}, ${seconds(v.elapsedMs)})`;
}

/** herd7's `Flag data-race` lines: a flag some allowed execution of the model raised. */
export function flagLines(v: Verdict): string[] {
  return v.flags.map((f) => `Flag ${f}`);
}

/** The model's states and counts as herd7's block (States … Hash=). */
function modelBlock(test: Test, v: Verdict): string[] {
  return herdBlock(test, { ...v, states: sortedKeys(v.states.keys()) }, v.elapsedMs / 1000);
}

/** A model stopped by Ctrl-C: how long it ran and how far it got; its partial states grade nothing. */
/** `model: fault at file:line:col: message`: a fault the model found in an execution it allows. */
function faultLine(backend: string, file: string, f: { reason: string; pos?: SourcePos }): string {
  const where = f.pos ? ` at ${escapeControls(file)}:${f.pos.line}:${f.pos.col}` : '';
  return `${backend}: fault${where}: ${cut(escapeControls(f.reason), MESSAGE_WIDTH)}`;
}

function interruptedLine(backend: string, v: Verdict): string {
  return `${backend}: interrupted after ${seconds(v.elapsedMs)} (${count(v.candidates)} executions checked), PARTIAL`;
}

/** `P1: file:line:col: message`: a fault of the test at run time, by its thread and place. */
export function faultText(f: RunFault): string {
  const where = f.file && f.pos ? `${f.file}:${f.pos.line}:${f.pos.col}: ` : '';
  return `P${f.thread}: ${where}${f.message}`;
}

function runsLine(backend: string, runs: RunsResult, host: HostInfo): string {
  const partial = runs.fault
    ? `  PARTIAL (stopped by a fault: ${faultText(runs.fault)})`
    : runs.partial
      ? '  PARTIAL (interrupted)'
      : runs.stoppedBy === 'time'
        ? '  (time budget reached)'
        : '';
  const memory =
    runs.memory === hostMemoryKind() ? '' : `, memory ${runs.memory}, seed ${runs.seed}`;
  // Older records have no knobs; a run's batch size is in its runs.
  const knobs = runs.knobs ? knobsChanged({ ...runs.knobs, size: undefined }) : '';
  const how =
    runs.barrier === 'stepped'
      ? `${runs.threads} threads stepped in process by a seeded scheduler (the same answer at any load; --engine node for real threads)`
      : `${runs.threads} threads, ${runs.barrier} barrier${knobs ? `, ${knobs}` : ''}`;
  return (
    `${backend} ${host.arch} ${host.cpuModel}, ${host.cores} CPUs, ${describeEngine(host.engine)}: ` +
    `${count(runs.runs)} runs in ${seconds(runs.elapsedMs)} (${rate((runs.runs * 1000) / Math.max(1, runs.elapsedMs))}), ` +
    `${how}${memory}${partial}`
  );
}

/** Where the knobs came from: this machine's preset, or the built-in ones (and how to tune). */
export function knobsLine(o: KnobsOrigin): string {
  const given = o.given.length ? `; given: ${o.given.join(', ')}` : '';
  if (o.preset)
    return `knobs: tuned preset for ${o.preset.family}, ${o.preset.tunedAt.slice(0, 16).replace('T', ' ')} (${o.preset.file}; --untuned sets it aside)${given}`;
  const builtIn = o.builtIn ? `built-in for ${o.builtIn}` : 'built-in';
  return `knobs: ${builtIn} (smplab run <test> --tune finds this machine's own)${given}`;
}

/** Instances given up as stuck (runtime/litmus/waits.ts): not states, so not in the histogram. */
function stuckLines(runs: RunsResult): string[] {
  if (!runs.stuck) return [];
  return [
    `Stuck ${count(runs.stuck)}: instances a thread gave up, waiting for what no thread in them would do (a lock never released on the path taken, a grace period never ending)`,
  ];
}

/**
 * litmus7's block for a run: one line per observed state — count, `*>` if it satisfies the
 * condition, the state, its grade as a comment — then Ok/No to Time; after it, what the model
 * allows and the run did not show, and the states outside the model.
 */
export function histogramLines(
  test: Test,
  backend: string,
  runs: { histogram: Histogram; memory: string; elapsedMs: number },
  grading: Grading,
  found: Breach[],
): string[] {
  const h = runs.histogram;
  const allowedBy = (state: string) => boundsAllowing(backend, runs.memory, state, grading);
  const mine = found.filter((b) => b.backend === backend);
  const outside = new Set(mine.flatMap((b) => b.states));
  const rows: string[][] = [];
  for (const state of sortedKeys(h.keys())) {
    const { values, count: n } = h.get(state)!;
    const witness = satisfies(test, values);
    const grade = outside.has(state)
      ? ['FORBIDDEN outside the model']
      : gradeOf(state, witness, grading, allowedBy);
    const note = grade.filter(Boolean).join(', ');
    rows.push([histogramLine(n, witness, state), note ? `# ${note}` : '']);
  }
  const lines = [`Histogram (${h.size} states)`];
  if (rows.length) lines.push(table(rows));
  const { positive, negative } = witnessCounts(test, h);
  lines.push(...litmusTail(test, positive, negative, runs.elapsedMs / 1000));
  const v = grading.graded;
  if (v) lines.push(...unseenLines(backend, h, v));
  if (v) lines.push(...strongerModelLines(backend, h, v, outside, allowedBy));
  for (const b of mine) lines.push(...outsideLines(b));
  return lines;
}

function gradeOf(
  state: string,
  witness: boolean,
  g: Grading,
  allowedBy: (state: string) => string[],
): string[] {
  const interesting = witness ? 'interesting' : '';
  if (!g.graded) return [interesting];
  if (g.graded.states.has(state)) return ['allowed', interesting];
  return [`forbidden by ${g.graded.model}`, `allowed by ${allowedBy(state).join(' and ')}`];
}

/** States the graded model allows that the backend never produced: on x86 these are what TSO hides. */
function unseenLines(backend: string, h: Histogram, v: Verdict): string[] {
  const unseen = [...v.states.keys()].filter((s) => !h.has(s)).sort();
  if (unseen.length === 0) return [];
  return [
    `Allowed by ${v.model} but not seen on ${backend} (${unseen.length}):`,
    ...unseen.map((s) => `        ${s}`),
  ];
}

/** States the graded model forbids and the bounds allow: that model is stronger than this machine. */
function strongerModelLines(
  backend: string,
  h: Histogram,
  v: Verdict,
  outside: Set<string>,
  boundsAllowing: (state: string) => string[],
): string[] {
  const states = [...h.keys()].filter((s) => !v.states.has(s) && !outside.has(s)).sort();
  if (states.length === 0) return [];
  const allowedBy = boundsAllowing(states[0]!);
  const tso = allowedBy.includes('tso')
    ? '; x86-TSO allows them too: expected on this machine'
    : '';
  return [
    `${backend} produced ${states.length} final state(s) that ${v.model} forbids and ${allowedBy.join(', ')} allow${tso}:`,
    ...states.map((s) => `        ${s}`),
    `${v.model} is stronger than this machine here; not an engine bug.`,
  ];
}

function outsideLines(b: Breach): string[] {
  return [
    `!!! OUTSIDE THE MODEL: ${b.backend} produced ${b.states.length} final state(s) that ${b.model} forbids:`,
    ...b.states.map((s) => `!!!   ${s}`),
    '!!! This is never expected: an engine bug, a hardware bug, or a broken test.',
  ];
}

/** States a histogram holds that a verdict forbids. */
export function statesOutsideModel(h: Histogram, v: Verdict): string[] {
  return [...h.keys()].filter((s) => !v.states.has(s));
}
