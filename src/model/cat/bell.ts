// What a bell file declares for the events of a test: its `enum`s of tags and the
// `instructions R[Accesses]` lines saying which tags events may carry. herd7 reads these before
// running the model, and gives the model one event set per declared annotation (env.ts).
//
// The bell's other instructions (lets, flags) run as part of the model, after stdlib.cat.

import type { CatFile, Exp, Ins } from './ast.ts';
import { catError } from './errors.ts';

/** The annotations the bell's `instructions` declarations name, in order of appearance. */
export function bellAnnotations(bell: CatFile): string[] {
  const enums = new Map<string, string[]>();
  const out: string[] = [];
  const walk = (body: Ins[]) => {
    for (const ins of body) {
      if (ins.kind === 'enum') enums.set(ins.name, ins.tags);
      else if (ins.kind === 'instructions') {
        for (const arg of ins.args)
          for (const tag of tagsOf(arg, enums)) if (!out.includes(tag)) out.push(tag);
      } else if (ins.kind === 'if-variant') {
        walk(ins.then);
        walk(ins.else);
      }
    }
  };
  walk(bell.body);
  return out;
}

/** The tags an argument of `instructions X[...]` names: an enum, a tag, or a union of them. */
function tagsOf(e: Exp, enums: Map<string, string[]>): string[] {
  switch (e.kind) {
    case 'var': {
      const tags = enums.get(e.name);
      if (!tags) throw catError(`${e.name} is not an enum declared before this line`, e.at);
      return tags;
    }
    case 'tag':
      return [e.name];
    case 'explicit-set':
      return e.items.flatMap((x) => tagsOf(x, enums));
    case 'op':
      if (e.op === 'union') return e.args.flatMap((x) => tagsOf(x, enums));
      break;
    default:
      break;
  }
  throw catError('event declaration expected a set of tags', e.at);
}
