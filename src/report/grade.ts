// What a record says went right or wrong, for every reader that grades (the HTML index, JUnit):
// per observing backend, its Observation (Never / Sometimes / Always from its witnesses) and
// the states it showed outside the model; for the record, the problems — a state outside the
// model, a model verdict that differs from the test's Result: line, a forbidden outcome or a
// stall in a program scenario, a partial run. Failures are the problems CI must fail on.

import { runBounds, statesOutside } from '../backends/soundness.ts';
import { observationOf, type Test } from '../litmus/ir.ts';
import { parseLitmus } from '../litmus/parse.ts';
import { satisfiesOf } from '../litmus/state.ts';
import { type ObservedRun, programResults, type ResultRecord } from './records.ts';

export interface BackendGrade {
  backend: string;
  runs: number;
  positive: number;
  negative: number;
  observation: string;
  /** States seen that the model's answer does not allow. */
  outside: string[];
}

export interface Problem {
  kind: 'outside-model' | 'verdict-mismatch' | 'forbidden' | 'stall' | 'error' | 'partial';
  /** Variant of a program scenario, or the backend of a litmus test. */
  where?: string;
  message: string;
  /** A failure fails CI; a partial run is only reported. */
  failure: boolean;
}

export interface Grade {
  backends: BackendGrade[];
  problems: Problem[];
  failed: boolean;
}

/** The test a litmus record was run from, parsed again from the source it carries. */
export function recordTest(r: ResultRecord): Test | undefined {
  if (!r.source) return undefined;
  try {
    return parseLitmus(r.source, String(r.raw.file ?? r.name));
  } catch {
    // A source that no longer parses (an older lab) only costs the report its picture.
    return undefined;
  }
}

/** Grades already made: the index, a test's page and JUnit each ask for a record's grade. */
const graded = new WeakMap<ResultRecord, Grade>();

export function gradeRecord(r: ResultRecord): Grade {
  const known = graded.get(r);
  if (known) return known;
  const grade = gradeOnce(r);
  graded.set(r, grade);
  return grade;
}

function gradeOnce(r: ResultRecord): Grade {
  const problems: Problem[] = r.kind === 'program' ? programProblems(r) : [];
  const backends = r.kind === 'program' ? [] : litmusGrades(r, problems);
  if (r.partial || r.observed.some((o) => o.partial))
    problems.push({ kind: 'partial', message: 'the run was cut short (partial)', failure: false });
  return { backends, problems, failed: problems.some((p) => p.failure) };
}

function litmusGrades(r: ResultRecord, problems: Problem[]): BackendGrade[] {
  const m = r.modelAnswer;
  if (m && r.expected && r.expected !== m.observation)
    problems.push(mismatchProblem(r.expected, m.model, m.observation));
  const test = recordTest(r);
  const satisfied = test && satisfiesOf(test);
  return r.observed.map((o) => {
    const witness = (state: string) => {
      const known = m?.states[state];
      if (known) return known.witness;
      // A state the model does not allow: its condition from its values, when recorded.
      const values = o.values[state];
      return satisfied && values ? satisfied(values) : false;
    };
    let positive = 0;
    let negative = 0;
    for (const [state, n] of Object.entries(o.histogram)) {
      if (witness(state)) positive += n;
      else negative += n;
    }
    const found = outsideOf(r, o);
    const outside = [...new Set(found.flatMap((f) => f.states))];
    const problem = outsideProblem(o.backend, found);
    if (problem) problems.push(problem);
    return {
      backend: o.backend,
      runs: o.runs,
      positive,
      negative,
      observation: observationOf(positive, negative),
      outside,
    };
  });
}

interface ProgramFailure {
  variant: string;
  kind: string;
  message: string;
}

/**
 * The states of a run outside the models that bound it, as the CLI grades them
 * (backends/soundness.ts: lkmm for every backend, tso too for hw's x86 mapping); older records
 * without bounds: outside the model that answered.
 */
function outsideOf(r: ResultRecord, o: ObservedRun): { model: string; states: string[] }[] {
  const states = Object.keys(o.histogram);
  if (r.bounds) {
    const allowed = new Map(Object.entries(r.bounds).map(([m, s]) => [m, new Set(s)]));
    return statesOutside(states, runBounds(o.backend, o.memory), (m) => allowed.get(m));
  }
  const m = r.modelAnswer;
  const outside = m ? states.filter((s) => !(s in m.states)) : [];
  return m && outside.length ? [{ model: m.model, states: outside }] : [];
}

/** A model verdict that contradicts the test's Result: line. */
export const mismatchProblem = (expected: string, model: string, says: string): Problem => ({
  kind: 'verdict-mismatch',
  where: 'model',
  message: `Result: ${expected} in the test, model ${model} says ${says}`,
  failure: true,
});

/** The states `backend` showed outside the models that bound it (`found`: one entry per model). */
export function outsideProblem(
  backend: string,
  found: { model: string; states: string[] }[],
): Problem | undefined {
  const outside = [...new Set(found.flatMap((f) => f.states))];
  if (outside.length === 0) return undefined;
  const models = found.map((f) => f.model).join(', ');
  return {
    kind: 'outside-model',
    where: backend,
    message: `${backend} showed ${outside.length} state(s) ${models} forbids: ${listed(outside)}`,
    failure: true,
  };
}

function programProblems(r: ResultRecord): Problem[] {
  return programRunProblems(programResults(r));
}

/** The failures a program scenario's runs recorded (forbidden outcomes, stalls, errors) as problems. */
export function programRunProblems(runs: { backend: string; result: object }[]): Problem[] {
  return runs.flatMap(({ backend, result }) =>
    (((result as { failures?: unknown }).failures ?? []) as ProgramFailure[]).map((f) => ({
      kind: f.kind === 'forbidden' ? 'forbidden' : f.kind === 'error' ? 'error' : 'stall',
      // The variant, and the backend when more than one ran the scenario.
      where: runs.length > 1 ? `${backend} ${f.variant}` : f.variant,
      message: f.message,
      failure: true,
    })),
  );
}

/** A problem with where it happened, unless its message already names it. */
export const problemText = (p: Problem): string =>
  p.where && !p.message.startsWith(p.where) ? `${p.where}: ${p.message}` : p.message;

/** The states of a problem, the first few of them when there are many (a record may hold 200,000). */
const LISTED = 10;
const listed = (states: string[]): string =>
  states.length <= LISTED
    ? states.join(' | ')
    : `${states.slice(0, LISTED).join(' | ')} | … and ${states.length - LISTED} more`;
