// Every built-in model by name: the models --model chooses from (base.ts's MODELS).

import type { Model, ModelName } from '../core/base.ts';
import { lkmm } from './lkmm.ts';
import { sc } from './sc.ts';
import { tso } from './tso.ts';

export const MODEL_TABLE: Readonly<Record<ModelName, Model>> = { sc, tso, lkmm };
