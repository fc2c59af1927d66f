// JUnit XML for CI, in the common shape CI servers read (Jenkins, GitLab, GitHub actions'
// reporters: testsuites > testsuite > testcase > failure): one testsuite per command, one
// testcase per litmus test or per variant of a program scenario. A failure is what must fail a
// build: a state outside the model, a model verdict that contradicts the test's Result: line,
// a forbidden outcome seen, a stall (or a stall that was expected and did not come), an error.

import { hostname } from 'node:os';
import type { CheckJson } from './check-baseline.ts';
import { gradeRecord, type Problem } from './grade.ts';
import { programResults, type ResultRecord } from './records.ts';

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

/** The testsuite of one run: a litmus test is one testcase, a program scenario one per variant. */
export function junitOfRecord(r: ResultRecord): JunitSuite {
  const grade = gradeRecord(r);
  const properties = { host: r.hostLabel, engine: r.engineLabel, ...(r.hash && { hash: r.hash }) };
  const head = { name: `smplab run ${r.name}`, timestamp: r.date, properties };
  if (r.kind === 'program') {
    const runs = programResults(r);
    return {
      ...head,
      cases: runs.flatMap(({ backend, result }) =>
        ((result.variants ?? []) as VariantLike[]).map((v) => {
          const where = runs.length > 1 ? `${backend} ${v.variant}` : v.variant;
          return {
            name: where,
            classname: `smplab.scenario.${r.name}`,
            seconds: v.elapsedSeconds ?? 0,
            failures: failuresOf(grade.problems.filter((p) => p.where === where)),
            out: v.outcomes.map((o) => `${o.count} ${o.outcome} (${o.grade})`).join('\n'),
          };
        }),
      ),
    };
  }
  const seconds =
    r.observed.reduce((s, o) => s + (o.elapsedMs ?? 0), 0) / 1000 +
    Number((r.modelAnswer as { elapsedMs?: number } | undefined)?.elapsedMs ?? 0) / 1000;
  const out = [
    ...(r.modelAnswer ? [`model ${r.modelAnswer.model}: ${r.modelAnswer.observation}`] : []),
    ...grade.backends.map(
      (b) => `Observation ${r.name} ${b.observation} ${b.positive} ${b.negative} (${b.backend})`,
    ),
  ].join('\n');
  const ran = r.modelAnswer !== undefined || r.observed.length > 0;
  return {
    ...head,
    cases: [
      {
        name: r.name,
        classname: 'smplab.litmus',
        seconds,
        failures: failuresOf(grade.problems),
        ...(!ran && { skipped: Object.values(r.skipped).join('; ') || 'no backend ran' }),
        out,
      },
    ],
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
