// A relaxation cycle read from text, as diy7 takes it: edge words separated by spaces ("Fre PodWR Fre PodWR"),
// each edge's target being the next edge's source, the last edge's target the first's source.
//
// parseCycle checks what makes a cycle a test, and refuses, with diy7 7.58's reason, the
// cycles diy7 refuses: directions that do not meet, annotations that disagree where two edges
// name the same access or do not apply to it, no communication edge between threads (only
// one thread), and locations diy7 cannot give — it starts a new location after every edge
// that changes location (Pod, FenceMbd, DpAddrd …) and keeps it across the others, so a
// cycle that changes location exactly once would come back to the location it left
// (`Rfe PodRR Fre`: "cannot get changing loc across PodRR"), and one that never does has a
// single location ("Unique location", or "cannot set write values" when every edge is a
// communication); and a location written three times or more, whose coherence order its final
// value cannot show ("Observer": diy7 adds observer threads only when told to). The result is the edges plus one annotation per access (Once where no
// edge names one). Building the test is build.ts's business, naming it name.ts's.

import { UserError } from '../errors.ts';
import { accessLocations, type Cycle } from './cycle.ts';
import { ANNOT_DIRS, type Edge, edgeWord, isExternal, parseEdge } from './edges.ts';
import { canonical } from './name.ts';

/** One location per edge that changes location, named from cycle.ts's LOCATION_NAMES (x y z a … w). */
export const MAX_EDGES = 26;

export function parseCycle(text: string): Cycle {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0)
    throw new UserError('empty cycle: give edges such as "Fre PodWR Fre PodWR"');
  if (words.length > MAX_EDGES)
    throw new UserError(`a cycle of ${words.length} edges: smplab gen takes at most ${MAX_EDGES}`);
  return checkCycle(words.map(parseEdge));
}

/** The checks of the header, on edges already parsed; annotations resolved per access. */
export function checkCycle(edges: Edge[]): Cycle {
  const n = edges.length;
  const word = (i: number) => `edge ${i + 1} (${edgeWord(edges[i]!)})`;
  const access = (d: string) => (d === 'R' ? 'a read' : 'a write');
  for (let i = 0; i < n; i++) {
    const e = edges[i]!;
    const next = edges[(i + 1) % n]!;
    if (e.dst !== next.src) {
      throw new UserError(
        `${word(i)} ends at ${access(e.dst)} but ${word((i + 1) % n)} starts from ${access(next.src)}`,
      );
    }
  }
  if (!edges.some((e) => isExternal(e.row)))
    throw new UserError(
      'the cycle has no communication edge between threads (Rfe, Fre, Coe): it needs two threads',
    );
  const annots = edges.map((e, i) => {
    const before = edges[(i + n - 1) % n]!.dstAnnot;
    const after = e.srcAnnot;
    if (before && after && before !== after) {
      throw new UserError(
        `${word((i + n - 1) % n)} makes its target ${before} but ${word(i)} makes the same access ${after}`,
      );
    }
    const annot = before ?? after ?? 'Once';
    if (!ANNOT_DIRS[annot].includes(e.src)) {
      throw new UserError(
        `the access between ${word((i + n - 1) % n)} and ${word(i)} is ${access(e.src)}, which cannot be ${annot}`,
      );
    }
    return annot;
  });
  const cycle = { edges, annots };
  checkLocations(cycle);
  return cycle;
}

/** diy7's refusals of a cycle whose locations it cannot give: see the header. */
function checkLocations(c: Cycle): void {
  const changes = c.edges.filter((e) => !e.row.sameLocation);
  // As diy7 says it: `Test W+RR [Rfe PodRR Fre] failed: Cannot get changing loc accros PodRR`.
  const refused = (reason: string, why: string): never => {
    const { cycle, name } = canonical(c);
    const text = cycle.edges.map((e) => edgeWord(e)).join(' ');
    throw new UserError(`diy7 refuses ${name} [${text}]: ${reason} (${why})`);
  };
  if (changes.length >= 2) {
    const writes = new Map<string, number>();
    const locations = accessLocations(c);
    c.edges.forEach((e, i) => {
      if (e.src === 'W') writes.set(locations[i]!, (writes.get(locations[i]!) ?? 0) + 1);
    });
    const most = Math.max(...writes.values());
    if (most >= 3)
      refused(
        'observer',
        `a location is written ${most} times, so its final value cannot tell their coherence ` +
          'order: diy7 would add a thread observing it, which it does only with -obs accept',
      );
    return;
  }
  if (changes.length === 1) {
    const e = edgeWord(changes[0]!);
    refused(
      `cannot get changing loc across ${e}`,
      `${e} is the only edge that changes location, so it would come back to the location it ` +
        'left: add another edge that changes location, or use an edge within one location (Pos, ' +
        'FenceMbs, DpAddrs …)',
    );
  }
  if (c.edges.every((e) => e.row.kind === 'com'))
    refused('cannot set write values', 'every edge is a communication on one location');
  refused(
    'unique location',
    'every edge stays on one location; diy7 writes such tests only with -oneloc',
  );
}
