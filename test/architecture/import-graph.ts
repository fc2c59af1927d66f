// The import graph of the sources: every relative import of every .ts file under a folder —
// `import`, `import type`, `export … from` and `import()` alike, as the TypeScript compiler's
// own pre-processor finds them (no regular expression to fool) — and its strongly connected
// components (Tarjan): a component of more than one file is an import cycle.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** File → the files it imports, as paths relative to the root. */
export type ImportGraph = Map<string, string[]>;

export function importGraph(root: string, folders: string[]): ImportGraph {
  const files = folders.flatMap((f) => tsFiles(join(root, f))).map((f) => relative(root, f));
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => relative(root, resolve(root, dirname(file), spec)))
      .filter((target) => known.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** The graph's cycles: each strongly connected component of more than one node, sorted. */
export function cycles<N>(graph: Map<N, N[]>): N[][] {
  let next = 0;
  const index = new Map<N, number>();
  const low = new Map<N, number>();
  const stack: N[] = [];
  const onStack = new Set<N>();
  const found: N[][] = [];
  const visit = (v: N): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: N[] = [];
    let w: N;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * The graph of the folders `depth` levels down (depth 1: src/cli, src/lab, …; 2: src/model/core,
 * …): an edge where a file of one imports a file of a sibling folder (one with the same parent).
 * A parent's own files (src/memory/kinds.ts beside src/memory/weak/) are no folder: a registry
 * there lists what its sub-folders implement, and they use the interface beside it.
 */
export function folderGraph(graph: ImportGraph, depth: number): Map<string, string[]> {
  const folderOf = (file: string): { parent: string; folder: string } | undefined => {
    const parts = file.split('/');
    if (parts.length <= depth + 1) return undefined;
    return { parent: parts.slice(0, depth).join('/'), folder: parts.slice(0, depth + 1).join('/') };
  };
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    if (!from) continue;
    if (!folders.has(from.folder)) folders.set(from.folder, new Set());
    for (const target of targets) {
      const to = folderOf(target);
      if (to && to.parent === from.parent && to.folder !== from.folder)
        folders.get(from.folder)!.add(to.folder);
    }
  }
  return new Map([...folders].map(([f, to]) => [f, [...to].sort()]));
}
