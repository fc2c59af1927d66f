// The instructions that choose where a run goes: `procedure`/`call` (a body run in a frame of
// its own, then back), `forall` (a body per element), `match` on a tag (one of the bodies), and
// `with x from S`, which forks the run: the rest of the program runs once per element of S,
// each an execution of its own (and none when S is empty: the execution is rejected).

import { EventSet, Relation } from '../core/relation.ts';
import type { Exp, Ins, Pattern, Test } from './ast.ts';
import { bindPattern, patternValues } from './bind.ts';
import { catError } from './errors.ts';
import { type Code, Frame, Scope, variableCode } from './frame.ts';
import { elementsOf } from './ops.ts';
import { runSteps, type Step } from './steps.ts';
import { typeName, typeOf } from './values.ts';

/** What the control instructions need of the compiler (exec.ts). */
export interface Compiling {
  exp(e: Exp, sc: Scope): Code;
  instructions(body: Ins[], sc: Scope): Step[];
  /** A top-level slot that changes from one candidate to the next. */
  markDynamic(sc: Scope, slot: number): void;
}

export function procedureStep(
  c: Compiling,
  ins: Extract<Ins, { kind: 'procedure' }>,
  sc: Scope,
): Step {
  // A recursive procedure sees its own name; another sees the binding before it, if any.
  const self = ins.rec ? sc.bind(ins.name) : undefined;
  const inner = new Scope(sc);
  const params = bindPattern(ins.param, inner);
  const body = c.instructions(ins.body, inner);
  const slot = self ?? sc.bind(ins.name);
  c.markDynamic(sc, slot);
  const param: Pattern = ins.param;
  return {
    plain: (def) => {
      def.slots[slot] = {
        k: 'proc',
        name: ins.name,
        run: (arg, kont) => {
          const fr = new Frame(inner.size, def, def.run);
          const vs = params.length === 1 ? [arg] : patternValues(param, arg, ins.at);
          params.forEach((s, i) => {
            fr.slots[s] = vs[i]!;
          });
          runSteps(body, 0, fr, kont);
        },
      };
      return true;
    },
  };
}

export function callStep(c: Compiling, ins: Extract<Ins, { kind: 'call' }>, sc: Scope): Step {
  const proc = variableCode(ins.name, ins.nameAt, sc);
  const arg = c.exp(ins.arg, sc);
  return {
    fork: (f, next) => {
      const p = proc(f);
      if (p instanceof EventSet || p instanceof Relation || p.k !== 'proc')
        throw catError(`${ins.name} is not a procedure`, ins.nameAt);
      p.run(arg(f), next);
    },
  };
}

export function forallStep(c: Compiling, ins: Extract<Ins, { kind: 'forall' }>, sc: Scope): Step {
  const set = c.exp(ins.set, sc);
  const inner = new Scope(sc);
  const slot = inner.bind(ins.name);
  const body = c.instructions(ins.body, inner);
  return {
    fork: (f, next) => {
      const items = elementsOf(set(f));
      if (!items) throw catError('forall instruction applied to non-set value', ins.set.at);
      const each = (k: number): void => {
        if (k === items.length) {
          next();
          return;
        }
        const fr = new Frame(inner.size, f, f.run);
        fr.slots[slot] = items[k]!;
        runSteps(body, 0, fr, () => each(k + 1));
      };
      each(0);
    },
  };
}

export function withStep(c: Compiling, ins: Extract<Ins, { kind: 'with' }>, sc: Scope): Step {
  const set = c.exp(ins.from, sc);
  const names = new Map(sc.names);
  const slot = sc.bind(ins.name);
  c.markDynamic(sc, slot);
  // No element to choose rejects the execution; --explain names the `with` as the reason.
  const none: Test = {
    at: ins.at,
    negated: false,
    test: 'empty',
    exp: ins.from,
    name: `with ${ins.name}`,
    text: ins.text,
  };
  return {
    fork: (f, next) => {
      const v = set(f);
      const empty =
        !(v instanceof EventSet || v instanceof Relation) &&
        (v.k === 'empty' || (v.k === 'valset' && v.items.length === 0));
      if (empty) return f.run.out.reject({ test: none, value: f.run.emptyRel, names, frame: f });
      if (v instanceof EventSet || v instanceof Relation || v.k !== 'valset')
        throw catError(`set expected, ${typeName(typeOf(v))} found`, ins.from.at);
      const flags = f.run.flags;
      const mark = flags.length;
      for (const item of v.items) {
        flags.length = mark;
        f.slots[slot] = item;
        next();
      }
    },
  };
}

export function matchStep(c: Compiling, ins: Extract<Ins, { kind: 'match' }>, sc: Scope): Step {
  const subject = c.exp(ins.exp, sc);
  const compile = (body: Ins[]) => {
    const inner = new Scope(sc);
    return { inner, steps: c.instructions(body, inner) };
  };
  const clauses = ins.clauses.map(([tag, body]) => [tag, compile(body)] as const);
  const otherwise = ins.otherwise && compile(ins.otherwise);
  return {
    fork: (f, next) => {
      const v = subject(f);
      if (v instanceof EventSet || v instanceof Relation || v.k !== 'tag')
        throw catError(`matching on non-tag value of type '${typeName(typeOf(v))}'`, ins.exp.at);
      const hit = clauses.find(([tag]) => tag === v.name)?.[1] ?? otherwise;
      if (!hit) throw catError(`pattern matching failed on value '${v.name}'`, ins.at);
      runSteps(hit.steps, 0, new Frame(hit.inner.size, f, f.run), next);
    },
  };
}
