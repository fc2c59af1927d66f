// The architecture as a test (issue 14): no import cycle between files, type-only imports
// included (a type two files need lives in a third); no cycle between folders at any depth
// (src/model/core and src/model/check as much as src/cli and src/lab); and every import
// between the top folders of src/ goes down the layers of docs/architecture.md.
//
// A small script over the TypeScript pre-processor's import list rather than
// dependency-cruiser: the rules fit in one table here, it needs no dependency of its own, and
// it runs in a few hundred milliseconds.

import { fileURLToPath } from 'node:url';
import test from 'ava';
import { cycles, folderGraph, importGraph } from './import-graph.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The top folders of src/, highest first. A folder may import from the layers below its own,
 * never from its own layer's other folders or from above. `.` is src/'s own files (errors.ts,
 * package-root.ts), beneath everything; workers/ are the CPU threads' entry files, above it all.
 */
const LAYERS: string[][] = [
  ['workers'],
  ['cli'],
  ['serve'],
  ['lab'],
  ['gen', 'report'],
  ['backends'],
  ['engines'],
  ['runtime'],
  ['explore'],
  ['kernel'],
  ['memory', 'model'],
  ['litmus'],
  ['.'],
];

const graph = importGraph(ROOT, ['src', 'workers']);

test('no import cycle between files (type-only imports count)', (t) => {
  t.true(graph.size > 100, 'the graph holds the sources');
  t.deepEqual(cycles(graph), []);
});

test('no cycle between folders, at any depth', (t) => {
  for (const depth of [1, 2, 3])
    t.deepEqual(cycles(folderGraph(graph, depth)), [], `depth ${depth}`);
});

test('every import between the folders of src/ goes down the layers', (t) => {
  const layerOf = (folder: string): number => {
    const at = LAYERS.findIndex((l) => l.includes(folder));
    if (at < 0) throw new Error(`src/${folder} is in no layer: give it one in LAYERS`);
    return at;
  };
  const top = (file: string): string => {
    const parts = file.split('/');
    if (parts[0] === 'workers') return 'workers';
    return parts.length > 2 ? parts[1]! : '.';
  };
  const against: string[] = [];
  for (const [file, targets] of graph)
    for (const target of targets) {
      const [from, to] = [top(file), top(target)];
      if (from !== to && layerOf(to) <= layerOf(from)) against.push(`${file} -> ${target}`);
    }
  t.deepEqual(against, []);
});
