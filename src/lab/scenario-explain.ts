// `run SCENARIO --explain OUTCOME [--dot F] [--svg F]` as the lab sees it: the outcome named on
// the command line found among the scenario's (exactly, or by a part of its name no other
// outcome shares), and each explained variant's execution drawn with the litmus tests' graph
// code. The explorer makes the explanations (src/explore/explain.ts); the CLI prints them.

import { closestNames, UserError } from '../errors.ts';
import type { ScenarioModelResult } from '../explore/scenario-result.ts';
import type { Scenario } from '../kernel/scenario.ts';
import { writeUserFile } from './write-file.ts';

/** The declared outcome `words` names: its whole name, or a part only it has (any case). */
export function outcomeNamed(s: Scenario, words: string): string {
  const names = s.outcomes.map((o) => o.name);
  const list = names.map((n) => `"${n}"`).join(', ');
  if (words.trim() === '')
    throw new UserError(
      `--explain on a program scenario takes the outcome to explain: smplab run ${s.name} --on model --explain "${names[0]}" (outcomes: ${list})`,
    );
  if (names.includes(words)) return words;
  const lower = words.toLowerCase();
  const whole = names.filter((n) => n.toLowerCase() === lower);
  const parts = whole.length > 0 ? whole : names.filter((n) => n.toLowerCase().includes(lower));
  if (parts.length === 1) return parts[0]!;
  if (parts.length > 1)
    throw new UserError(
      `--explain "${words}" names more than one outcome of ${s.name}: ${parts.map((n) => `"${n}"`).join(', ')}`,
    );
  // Close to the whole name, or to one of its words (`stael` for "flag seen, data stale").
  const close = names
    .filter(
      (n) =>
        closestNames(words, [n]).length > 0 ||
        closestNames(words, n.split(/[\s,()]+/).filter(Boolean)).length > 0,
    )
    .slice(0, 3)
    .map((n) => `"${n}"`);
  const hint = close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
  throw new UserError(
    `--explain "${words}" names no outcome of ${s.name}${hint}; outcomes: ${list}`,
  );
}

/**
 * --dot / --svg: each explained variant's execution as a picture. With several variants, each
 * gets its own file, the variant's name before the extension (`x.svg` → `x.once.svg`).
 */
export async function drawExplanations(
  r: ScenarioModelResult,
  files: { dot?: string; svg?: string },
): Promise<string[]> {
  const graphs = r.variants.flatMap((v) =>
    v.explanation ? [{ variant: v.variant, graph: v.explanation.graph }] : [],
  );
  if (graphs.length === 0) return [];
  const { graphToDot } = await import('../report/graph-dot.ts');
  const written: string[] = [];
  const fileFor = (file: string, variant: string) =>
    graphs.length === 1 ? file : file.replace(/(\.[^./\\]*)?$/, (ext) => `.${variant}${ext}`);
  for (const { variant, graph } of graphs) {
    const dot = graphToDot(graph);
    if (files.dot) {
      const file = fileFor(files.dot, variant);
      writeUserFile(file, dot);
      written.push(file);
    }
    if (files.svg) {
      const { dotToSvg } = await import('../report/graph-svg.ts');
      const file = fileFor(files.svg, variant);
      writeUserFile(file, await dotToSvg(dot));
      written.push(file);
    }
  }
  return written;
}
