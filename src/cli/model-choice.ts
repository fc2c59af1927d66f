// Which model grades a run, a check or a compare: a built-in one (`--model sc|tso|lkmm`), or one
// read from herd7's files (`--cat FILE`, with `--bell FILE` and `--macros FILE`, or `--conf FILE`
// reading a herd7 .cfg; `--cat-variant V,...` and `--skipcheck NAME,...` as herd7's -variant and
// -skipcheck); and `check --against`, the model compared with. This module only turns flags
// into a ModelChoice; the model runs in lab/.

import { UserError } from '../errors.ts';
import type { CatRequest, CatSpec } from '../model/cat/files.ts';
import { MODELS, type ModelName } from '../model/core/base.ts';
import { loadCatModels, type ModelChoice } from '../model/models/registry.ts';
import type { Values } from './flags.ts';
import type { CommandLine } from './parse.ts';

type ModelFlags = Values<
  'model' | 'cat' | 'bell' | 'macros' | 'conf' | 'cat-variant' | 'skipcheck'
>;

/**
 * The model the flags choose: --model's built-in one (its default lkmm), or the files' (the cat
 * interpreter loaded then, and only then).
 */
export async function modelChoiceOf(line: CommandLine, flags: ModelFlags): Promise<ModelChoice> {
  if (flags.cat === undefined && flags.conf === undefined) {
    for (const f of ['bell', 'macros', 'cat-variant', 'skipcheck'] as const)
      if (flags[f] !== undefined)
        throw new UserError(
          `--${f} belongs to a model read from files: give --cat FILE or --conf FILE too`,
        );
    return flags.model;
  }
  if (line.given.model !== undefined)
    throw new UserError(
      '--model chooses a built-in model and --cat/--conf one read from files: give one of them, not both',
    );
  return { cat: await catSpec(requestOf(flags)) };
}

/**
 * check --against X: a built-in model's name, a .cfg (read as --conf), or a cat file that
 * replaces the checked model's own (its bell, macros and cfg options kept).
 */
export async function againstOf(raw: string, flags: ModelFlags): Promise<ModelChoice> {
  if ((MODELS as readonly string[]).includes(raw)) return raw as ModelName;
  if (raw.endsWith('.cfg')) return { cat: await catSpec({ conf: raw }) };
  return { cat: await catSpec({ ...requestOf(flags), cat: raw }) };
}

/** The cat files' model, read: the cat interpreter is loaded then, and only then. */
async function catSpec(request: CatRequest): Promise<CatSpec> {
  await loadCatModels();
  return (await import('../model/cat/files.ts')).resolveSpec(request);
}

function requestOf(flags: ModelFlags): CatRequest {
  return {
    ...(flags.cat !== undefined && { cat: flags.cat }),
    ...(flags.conf !== undefined && { conf: flags.conf }),
    ...(flags.bell !== undefined && { bell: flags.bell }),
    ...(flags.macros !== undefined && { macros: flags.macros }),
    ...(flags['cat-variant'] !== undefined && { variants: names(flags['cat-variant']) }),
    ...(flags.skipcheck !== undefined && { skip: names(flags.skipcheck) }),
  };
}

const names = (list: string): string[] => list.split(',').map((s) => s.trim());
