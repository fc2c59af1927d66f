// Every built-in model by name (the models --model chooses from, base.ts's MODELS), and a model
// read from files (--cat, --conf: cat/model.ts), as one choice a run carries — to worker threads
// too, so a choice is data (a name, or the files), made into a Model where it runs.

import type { CatSpec } from '../cat/files.ts';
import { CatModel } from '../cat/model.ts';
import type { Model, ModelName } from '../core/base.ts';
import { lkmm } from './lkmm.ts';
import { sc } from './sc.ts';
import { tso } from './tso.ts';

export const MODEL_TABLE: Readonly<Record<ModelName, Model>> = { sc, tso, lkmm };

/** A built-in model, or a model read from files. */
export type ModelChoice = ModelName | { cat: CatSpec };

/** Models read from files, compiled once per process (by their files and options). */
const catModels = new Map<string, CatModel>();

/** The model a choice names; a Model value is taken as it is. */
export function modelFor(choice: ModelChoice | Model): Model | undefined {
  if (typeof choice === 'string') return MODEL_TABLE[choice];
  if (!('cat' in choice)) return choice;
  const key = JSON.stringify(choice.cat);
  let m = catModels.get(key);
  if (!m) {
    m = new CatModel(choice.cat);
    catModels.set(key, m);
  }
  return m;
}
