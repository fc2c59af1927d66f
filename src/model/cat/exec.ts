// Cat instructions compiled to steps, and how a run goes through them, as herdtools7's
// interpreter runs a model on one candidate execution: `let` binds (lazily), `let rec` iterates
// to a fixpoint, a check (`acyclic r as name`) that fails rejects the execution, a `flag` that
// holds raises its flag, `include` runs another file in the same scope; control.ts has the
// instructions that choose where a run goes (procedures, forall, match, `with`, which forks).
//
// A run ends in `accept` (with the flags raised on its path) or in `reject` (with the check
// that failed and its relation). Compiling once per model, running once per candidate.

import { UserError } from '../../errors.ts';
import { acyclic, EventSet, irreflexive, Relation } from '../core/relation.ts';
import type { CatFile, CatPos, Exp, Ins, Test } from './ast.ts';
import { bindPattern, compileRec, storeLazy } from './bind.ts';
import { variantHolds } from './cond.ts';
import {
  type Compiling,
  callStep,
  forallStep,
  matchStep,
  procedureStep,
  withStep,
} from './control.ts';
import { CatError, catError } from './errors.ts';
import { compileExp, staticRefs } from './eval.ts';
import {
  type Code,
  collectRefs,
  type Frame,
  type NameTable,
  readSlot,
  Scope,
  type Sharing,
  type Statics,
} from './frame.ts';
import type { Step } from './steps.ts';
import { typeName, typeOf, type Value } from './values.ts';

export interface ProgramOptions extends Statics {
  /** The primitives that change from one candidate to the next (rf, FW): the others are static. */
  dynamic: readonly string[];
  /** An `enum` seen while compiling: its tags are known from here on. */
  declareEnum(name: string, tags: string[]): void;
  /** The file an `include "name"` means, parsed; relative to the including file first. */
  include(name: string, from: CatPos): CatFile;
  /** Check names (`as name`) to skip, as herd7's -skipcheck. */
  skip: ReadonlySet<string>;
}

/** A compiled model: its top-level scope (primitives first) and its steps. */
export interface Program {
  scope: Scope;
  steps: Step[];
  /** The names bound at the end of the program. */
  names: NameTable;
  /** The top-level slots that change from one candidate to the next; the others are per shape. */
  dynamic: ReadonlySet<number>;
}

/** Compile the files (stdlib, the bell, the model, in order) over the given primitive names. */
export function compileProgram(
  files: CatFile[],
  primitives: readonly string[],
  opts: ProgramOptions,
): Program {
  const scope = new Scope();
  const dynamic = new Set<number>();
  for (const name of primitives) {
    const slot = scope.bind(name);
    if (opts.dynamic.includes(name)) dynamic.add(slot);
  }
  const c = new Compiler(
    { ...opts, top: scope, isDynamic: (slot) => dynamic.has(slot) },
    scope,
    dynamic,
  );
  const steps = files.flatMap((f) => c.instructions(f.body, scope));
  return { scope, steps, names: new Map(scope.names), dynamic };
}

/** Nested includes deeper than this are refused (a file including itself). */
const MAX_INCLUDE_DEPTH = 32;

class Compiler implements Compiling {
  private includeDepth = 0;
  constructor(
    private readonly opts: ProgramOptions & Sharing,
    /** The top-level scope, whose static slots are kept per shape (frame.ts). */
    private readonly top: Scope,
    /** Its dynamic slots: rf, FW, what `with` binds, and everything computed from them. */
    private readonly dynamic: Set<number>,
  ) {}

  /** A top-level slot that changes from one candidate to the next (other scopes' slots all do). */
  markDynamic(sc: Scope, slot: number): void {
    if (sc === this.top) this.dynamic.add(slot);
  }

  /** Code for an expression, and whether it reads only static top-level slots. */
  private staticExp(e: Exp, sc: Scope): [Code, boolean] {
    const [code, refs] = collectRefs(() => this.exp(e, sc));
    return [code, sc === this.top && staticRefs(refs, sc, this.opts)];
  }

  instructions(body: Ins[], sc: Scope): Step[] {
    return body.flatMap((ins) => this.instruction(ins, sc));
  }

  exp(e: Exp, sc: Scope): Code {
    return compileExp(e, sc, this.opts);
  }

  private instruction(ins: Ins, sc: Scope): Step[] {
    switch (ins.kind) {
      case 'let':
        return [ins.rec ? this.letRec(ins, sc) : this.let(ins, sc)];
      case 'test':
        return this.opts.skip.has(ins.test.name ?? '') ? [] : [this.test(ins.type, ins.test, sc)];
      case 'include': {
        if (++this.includeDepth > MAX_INCLUDE_DEPTH)
          throw catError(
            `includes nested deeper than ${MAX_INCLUDE_DEPTH} (does a file include itself?)`,
            ins.at,
          );
        try {
          return this.instructions(this.opts.include(ins.file, ins.at).body, sc);
        } finally {
          this.includeDepth--;
        }
      }
      case 'if-variant':
        return this.instructions(variantHolds(ins.cond, this.opts) ? ins.then : ins.else, sc);
      case 'procedure':
        return [procedureStep(this, ins, sc)];
      case 'call':
        return this.opts.skip.has(ins.as ?? ins.name) ? [] : [callStep(this, ins, sc)];
      case 'enum':
        return [this.enumeration(ins, sc)];
      case 'forall':
        return [forallStep(this, ins, sc)];
      case 'with':
        return [withStep(this, ins, sc)];
      case 'match':
        return [matchStep(this, ins, sc)];
      case 'instructions':
      case 'show':
      case 'unshow':
      case 'show-as':
      case 'debug':
        // Bell declarations (read by bell.ts) and display directives: nothing to run.
        return [];
    }
  }

  private let(ins: Extract<Ins, { kind: 'let' }>, sc: Scope): Step {
    const rhs = ins.bindings.map((b) => this.staticExp(b.exp, sc));
    const slots = ins.bindings.map((b) => bindPattern(b.pat, sc));
    const bindings = ins.bindings;
    bindings.forEach((_, i) => {
      if (!rhs[i]![1]) for (const s of slots[i]!) this.markDynamic(sc, s);
    });
    return {
      plain: (f) => {
        for (let i = 0; i < bindings.length; i++) {
          const [code, isStatic] = rhs[i]!;
          const b = bindings[i]!;
          // A static binding is made once per shape, in the shape's shared slots.
          if (!isStatic) storeLazy(f.slots, slots[i]!, b.pat, code, f, b.at, true);
          else if (f.shared![slots[i]![0]!] === undefined)
            storeLazy(f.shared!, slots[i]!, b.pat, code, f, b.at, true);
        }
        return true;
      },
    };
  }

  private letRec(ins: Extract<Ins, { kind: 'let' }>, sc: Scope): Step {
    const [fix, refs] = collectRefs(() => compileRec(ins.bindings, sc, this.opts, compileExp));
    const when = ins.when;
    const check = when && this.testCode(when, sc);
    const names = new Map(sc.names);
    const names0 = ins.bindings.flatMap((b) => (b.pat.kind === 'var' ? [b.pat.name] : b.pat.names));
    const slots = names0.flatMap((n) => (n === undefined ? [] : [sc.names.get(n)!]));
    const isStatic = sc === this.top && !when && staticRefs(refs, sc, this.opts, new Set(slots));
    if (!isStatic) for (const s of slots) this.markDynamic(sc, s);
    return {
      plain: (f) => {
        if (isStatic) {
          // Computed in the run's own slots, then kept for the shape.
          if (f.shared![slots[0]!] !== undefined) return true;
          fix(f, () => true);
          for (const s of slots) {
            f.shared![s] = f.slots[s];
            f.slots[s] = undefined;
          }
          return true;
        }
        if (!check) return fix(f, () => true);
        let failed: Value | undefined;
        const ok = fix(f, (fr) => {
          const [holds, v] = check(fr);
          if (!holds) failed = v;
          return holds;
        });
        if (!ok) f.run.out.reject({ test: when, value: failed!, names, frame: f });
        return ok;
      },
    };
  }

  /** Whether a test holds, and the value it looked at (kept per shape when static). */
  private testCode(t: Test, sc: Scope): (f: Frame) => [boolean, Value] {
    const [code, isStatic] = this.staticExp(t.exp, sc);
    let exp = code;
    if (isStatic) {
      const slot = sc.bind(undefined);
      const at = t.exp.at;
      exp = (f) => {
        if (f.shared![slot] === undefined) f.shared![slot] = code;
        return readSlot(f, slot, 'the tested expression', at);
      };
    }
    return (f) => {
      const v = exp(f);
      return [holds(t, v) !== t.negated, v];
    };
  }

  private test(type: Extract<Ins, { kind: 'test' }>['type'], t: Test, sc: Scope): Step {
    const code = this.testCode(t, sc);
    const names = new Map(sc.names);
    const name = t.name;
    switch (type) {
      case 'check':
        return {
          plain: (f) => {
            const [ok, value] = code(f);
            if (!ok) f.run.out.reject({ test: t, value, names, frame: f });
            return ok;
          },
        };
      case 'flag':
        return {
          plain: (f) => {
            if (code(f)[0] && name !== undefined) f.run.flags.push(name);
            return true;
          },
        };
      case 'undefined-unless':
        return {
          plain: (f) => {
            if (!code(f)[0]) f.run.flags.push('undefined');
            return true;
          },
        };
      case 'assert':
        return {
          plain: (f) => {
            if (!code(f)[0])
              throw new UserError(
                `${name ?? '(unknown)'} assertion failed, check input test.`,
                t.at.file,
                t.at,
              );
            return true;
          },
        };
    }
  }

  private enumeration(ins: Extract<Ins, { kind: 'enum' }>, sc: Scope): Step {
    const slot = sc.bind(ins.name);
    this.opts.declareEnum(ins.name, ins.tags);
    const all: Value = {
      k: 'valset',
      elt: { tag: ins.name },
      items: ins.tags.map((t) => this.opts.tag(t)!),
    };
    const top = sc === this.top;
    return {
      plain: (f) => {
        (top ? f.shared! : f.slots)[slot] = all;
        return true;
      },
    };
  }
}

/** acyclic, irreflexive or empty, on the value a test computed. */
function holds(t: Test, v: Value): boolean {
  if (v instanceof Relation) {
    if (t.test === 'acyclic') return acyclic(v);
    if (t.test === 'irreflexive') return irreflexive(v);
    return v.isEmpty();
  }
  if (v instanceof EventSet) {
    if (t.test !== 'empty') throw catError('relation expected', t.exp.at);
    return v.isEmpty();
  }
  switch (v.k) {
    case 'empty':
      return true;
    case 'pair':
      return t.test === 'empty' ? false : t.test === 'acyclic' ? true : v.a !== v.b;
    case 'valset':
      if (t.test === 'empty') return v.items.length === 0;
      break;
    case 'unv':
      // As herd7: the universe is never empty, acyclic or irreflexive (the kernel's bell flags
      // a model run without its lkmmv2 variant with `~empty (if "lkmmv2" then 0 else _)`).
      return false;
  }
  throw catError(`relation or set expected, ${typeName(typeOf(v))} found`, t.exp.at);
}

/** The value a name holds in the top frame (computing it if lazy); undefined if it fails. */
export function boundValue(f: Frame, names: NameTable, name: string): Value | undefined {
  const slot = names.get(name);
  if (slot === undefined) return undefined;
  try {
    return readSlot(f, slot, name, { file: '', line: 0, col: 0 });
  } catch (err) {
    // A binding that fails to evaluate (one only used under `try`) names no relation.
    if (err instanceof CatError) return undefined;
    throw err;
  }
}
