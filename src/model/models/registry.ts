// Every built-in model by name (the models --model chooses from, base.ts's MODELS), and a model
// read from files (--cat, --conf: cat/model.ts), as one choice a run carries — to worker threads
// too, so a choice is data (a name, or the files), made into a Model where it runs.
//
// The cat interpreter is loaded only where a model read from files is used (loadCatModels, by
// the command line and by a model worker that is handed one): a run under lkmm never loads it.

import type { CatSpec } from '../cat/files.ts';
import type { Model, ModelName } from '../core/base.ts';
import { lkmm } from './lkmm.ts';
import { sc } from './sc.ts';
import { tso } from './tso.ts';

export const MODEL_TABLE: Readonly<Record<ModelName, Model>> = { sc, tso, lkmm };

/** A built-in model, or a model read from files. */
export type ModelChoice = ModelName | { cat: CatSpec };

/** cat/model.ts's constructor, once loadCatModels has loaded it. */
let makeCatModel: ((spec: CatSpec) => Model) | undefined;

/** Load the cat interpreter, so that modelFor can make models read from files. */
export async function loadCatModels(): Promise<void> {
  if (makeCatModel) return;
  useCatModels((await import('../cat/model.ts')).CatModel);
}

/**
 * Make models read from files with a cat interpreter already imported: for a worker whose
 * dynamic import() of a .ts module would fail under tsx (its piscina workers get tsx's require
 * hook, not its import hook), so it imports the interpreter statically instead.
 */
export function useCatModels(CatModel: new (spec: CatSpec) => Model): void {
  makeCatModel ??= (spec) => new CatModel(spec);
}

/** Models read from files, compiled once per process (by their files and options). */
const catModels = new Map<string, Model>();

/** The model a choice names; a Model value is taken as it is. */
export function modelFor(choice: ModelChoice | Model): Model | undefined {
  if (typeof choice === 'string') return MODEL_TABLE[choice];
  if (!('cat' in choice)) return choice;
  if (!makeCatModel)
    throw new Error('a model read from files before loadCatModels() loaded the cat interpreter');
  const key = JSON.stringify(choice.cat);
  let m = catModels.get(key);
  if (!m) {
    m = makeCatModel(choice.cat);
    catModels.set(key, m);
  }
  return m;
}
