// JUnit XML for CI, in the common shape CI servers read (Jenkins, GitLab, GitHub actions'
// reporters: testsuites > testsuite > testcase > failure): one testsuite per command, one
// testcase per litmus test or per variant of a program scenario. A failure is what must fail a
// build: a state outside the model, a model verdict that contradicts the test's Result: line,
// a forbidden outcome seen, a stall (or a stall that was expected and did not come), an error.

import { hostname } from 'node:os';
import type { BackendResult } from '../backends/backend.ts';
import type { Grading } from '../backends/soundness.ts';
import { observationOf, type Test } from '../litmus/ir.ts';
import { satisfies } from '../litmus/state.ts';
import type { CheckJson } from './check-baseline.ts';
import {
  gradeRecord,
  mismatchProblem,
  outsideProblem,
  type Problem,
  programRunProblems,
} from './grade.ts';
import { engineLabel, hostLabel, programResults, type ResultRecord } from './records.ts';

export interface JunitCase {
  name: string;
  classname: string;
  seconds: number;
  failures: { type: string; message: string }[];
  /** Why it did not run (a backend refusal), if it did not. */
  skipped?: string;
  /** What a reader of the CI log wants beside the verdict: the observation lines. */
  out?: string;
}

export interface JunitSuite {
  name: string;
  timestamp: string;
  cases: JunitCase[];
  properties?: Record<string, string>;
}

const xml = (s: unknown): string =>
  String(s).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!,
  );

export function junitXml(suites: JunitSuite[]): string {
  const count = (f: (c: JunitCase) => boolean) =>
    suites.reduce((n, s) => n + s.cases.filter(f).length, 0);
  const time = (cases: JunitCase[]) => cases.reduce((t, c) => t + c.seconds, 0).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="smplab" tests="${count(() => true)}" failures="${count((c) => c.failures.length > 0)}" errors="0" time="${time(suites.flatMap((s) => s.cases))}">`,
  ];
  suites.forEach((s, id) => {
    const failures = s.cases.filter((c) => c.failures.length > 0).length;
    const skipped = s.cases.filter((c) => c.skipped !== undefined).length;
    lines.push(
      `  <testsuite name="${xml(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time(s.cases)}" timestamp="${xml(s.timestamp.replace(/\.\d+Z$/, ''))}" hostname="${xml(hostname())}" id="${id}">`,
    );
    const props = Object.entries(s.properties ?? {});
    if (props.length > 0) {
      lines.push('    <properties>');
      for (const [k, v] of props)
        lines.push(`      <property name="${xml(k)}" value="${xml(v)}"/>`);
      lines.push('    </properties>');
    }
    for (const c of s.cases) {
      lines.push(
        `    <testcase name="${xml(c.name)}" classname="${xml(c.classname)}" time="${c.seconds.toFixed(3)}">`,
      );
      if (c.skipped !== undefined) lines.push(`      <skipped message="${xml(c.skipped)}"/>`);
      for (const f of c.failures)
        lines.push(
          `      <failure message="${xml(f.message)}" type="${xml(f.type)}">${xml(f.message)}</failure>`,
        );
      if (c.out) lines.push(`      <system-out>${xml(c.out)}</system-out>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  });
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

const failuresOf = (problems: Problem[]) =>
  problems.filter((p) => p.failure).map((p) => ({ type: p.kind, message: p.message }));

/** What heads a run's suite: the record's name, date, host, engine and hash. */
interface SuiteHead {
  name: string;
  date: string;
  hostLabel: string;
  engineLabel: string;
  hash?: string;
}

const suiteHead = (h: SuiteHead) => ({
  name: `smplab run ${h.name}`,
  timestamp: h.date,
  properties: { host: h.hostLabel, engine: h.engineLabel, ...(h.hash && { hash: h.hash }) },
});

/** The testsuite of one run: a litmus test is one testcase, a program scenario one per variant. */
export function junitOfRecord(r: ResultRecord): JunitSuite {
  const grade = gradeRecord(r);
  if (r.kind === 'program') return programSuite(r, programResults(r), grade.problems);
  // Summed as junitOfLitmusRun sums them (milliseconds, then seconds): the same suite to the bit.
  const seconds =
    (r.observed.reduce((s, o) => s + (o.elapsedMs ?? 0), 0) +
      Number((r.modelAnswer as { elapsedMs?: number } | undefined)?.elapsedMs ?? 0)) /
    1000;
  const ran = r.modelAnswer !== undefined || r.observed.length > 0;
  return litmusSuite(r, {
    seconds,
    problems: grade.problems,
    model: r.modelAnswer,
    observations: grade.backends,
    ...(!ran && { skipped: Object.values(r.skipped).join('; ') || 'no backend ran' }),
  });
}

/** A record's head (lab/record.ts's provenance) as the suite names it: what normalise reads. */
const headOf = (name: string, record: RunRecord, hash?: string): SuiteHead => ({
  name,
  date: record.date,
  hostLabel: hostLabel(record.host as Record<string, unknown>),
  engineLabel: engineLabel(record.engine, record.host as Record<string, unknown>),
  ...(hash && { hash }),
});

/** The provenance fields of a record made by this lab (report/results-file.ts). */
interface RunRecord {
  date: string;
  host: object;
  engine?: unknown;
}

/**
 * The testsuite of a litmus run from its values, without its record written and read back:
 * what junitOfRecord makes of that record (the same problems, from report/grade.ts).
 */
export function junitOfLitmusRun(
  run: { test: Test; results: BackendResult[]; grading: Grading },
  record: RunRecord,
): JunitSuite {
  const { test, results, grading } = run;
  const model = [...results].reverse().find((r) => r.verdict)?.verdict;
  const problems: Problem[] = [];
  if (model && test.expected && test.expected !== model.observation)
    problems.push(mismatchProblem(test.expected, model.model, model.observation));
  const observed = results.flatMap((r) => (r.runs ? [{ backend: r.backend, runs: r.runs }] : []));
  const observations = observed.map(({ backend, runs }) => {
    const outside = outsideProblem(
      backend,
      grading.breaches.filter((b) => b.backend === backend),
    );
    if (outside) problems.push(outside);
    let [positive, negative] = [0, 0];
    for (const [state, o] of runs.histogram) {
      if (model?.states.get(state)?.witness ?? satisfies(test, o.values)) positive += o.count;
      else negative += o.count;
    }
    return { backend, positive, negative, observation: observationOf(positive, negative) };
  });
  const notRun = results.map((r) =>
    r.tag === 'refused' ? r.reason : 'reason' in r ? `${r.tag}: ${r.reason}` : '',
  );
  return litmusSuite(headOf(test.name, record, test.hash), {
    seconds: (observed.reduce((s, o) => s + o.runs.elapsedMs, 0) + (model?.elapsedMs ?? 0)) / 1000,
    problems,
    model,
    observations,
    ...(!model &&
      observed.length === 0 && { skipped: notRun.filter(Boolean).join('; ') || 'no backend ran' }),
  });
}

/** A program scenario's run from its values (each backend's result): junitOfRecord's suite. */
export function junitOfScenarioRun(
  name: string,
  results: { backend: string; hash?: string }[],
  record: RunRecord,
): JunitSuite {
  const runs = results.map((result) => ({ backend: result.backend, result }));
  return programSuite(headOf(name, record, results[0]?.hash), runs, programRunProblems(runs));
}

/** A litmus run's one testcase: its time, failures, why it was skipped, and its verdict lines. */
function litmusSuite(
  head: SuiteHead,
  c: {
    seconds: number;
    problems: Problem[];
    model: { model: string; observation: string } | undefined;
    observations: { backend: string; observation: string; positive: number; negative: number }[];
    skipped?: string;
  },
): JunitSuite {
  const out = [
    ...(c.model ? [`model ${c.model.model}: ${c.model.observation}`] : []),
    ...c.observations.map(
      (b) => `Observation ${head.name} ${b.observation} ${b.positive} ${b.negative} (${b.backend})`,
    ),
  ].join('\n');
  return {
    ...suiteHead(head),
    cases: [
      {
        name: head.name,
        classname: 'smplab.litmus',
        seconds: c.seconds,
        failures: failuresOf(c.problems),
        ...(c.skipped !== undefined && { skipped: c.skipped }),
        out,
      },
    ],
  };
}

/** A program scenario's suite: one testcase per variant (and backend, when several ran it). */
function programSuite(
  head: SuiteHead,
  runs: { backend: string; result: object }[],
  problems: Problem[],
): JunitSuite {
  return {
    ...suiteHead(head),
    cases: runs.flatMap(({ backend, result }) =>
      (((result as { variants?: unknown }).variants ?? []) as VariantLike[]).map((v) => {
        const where = runs.length > 1 ? `${backend} ${v.variant}` : v.variant;
        return {
          name: where,
          classname: `smplab.scenario.${head.name}`,
          seconds: v.elapsedSeconds ?? 0,
          failures: failuresOf(problems.filter((p) => p.where === where)),
          out: v.outcomes.map((o) => `${o.count} ${o.outcome} (${o.grade})`).join('\n'),
        };
      }),
    ),
  };
}

interface VariantLike {
  variant: string;
  elapsedSeconds?: number;
  outcomes: { outcome: string; count: number; grade: string }[];
}

/** The testsuite of `check`: one testcase per test, failing when the model contradicts its Result: line. */
export function junitOfCheck(c: CheckJson): JunitSuite {
  return {
    name: `smplab check (${c.model})`,
    timestamp: c.date,
    properties: { model: c.model },
    cases: c.tests.map((t) => ({
      name: t.test,
      classname: 'smplab.check',
      seconds: (t.elapsedMs ?? 0) / 1000,
      failures: t.error
        ? [{ type: 'error', message: t.error }]
        : t.ok
          ? []
          : [
              {
                type: 'verdict-mismatch',
                message: `Result: ${t.expected} in the test, model ${c.model} says ${t.observation}`,
              },
            ],
      out: `${t.file}: ${t.observation ?? 'error'}, ${t.states?.length ?? 0} states`,
    })),
  };
}
