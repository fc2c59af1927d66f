// Where a running cat program keeps its values: frames of slots, one per scope (the top level
// of the model, a function call, a `let ... in`, a procedure call), and the lazy values herd7
// binds with `let` (a binding is evaluated when first used, so one that is never used, or used
// only under `try`, costs nothing and fails nothing).
//
// Names are resolved to (depth, slot) once, when the program is compiled (Scope), so that a run
// looks a value up by index; a name redefined later (`let W = W | LKW`) gets a new slot, and
// what was bound before keeps seeing the old one, as lexical scoping wants.
//
// Most of a model's top-level bindings depend on the shape of the execution only (event kinds,
// po, dependencies, annotations), not on rf or co: compiling records which top-level slots each
// expression reads (collectRefs), a binding that reads no dynamic slot is static, and a static
// slot is computed once per shape and kept in the shape's `shared` slots, which the top frame
// of every run of that shape reads through.

import type { CatPos, Exp, Test } from './ast.ts';
import { catError } from './errors.ts';
import type { Universe } from './ops.ts';
import type { Value } from './values.ts';

export type Code = (f: Frame) => Value;

/** A value not computed yet: its code and the frame it is computed in. */
export class Lazy {
  constructor(
    readonly code: Code,
    readonly frame: Frame,
  ) {}
}

/** The top level's names at a point of the program: name → slot. */
export type NameTable = ReadonlyMap<string, number>;

/** A check that failed: which, and the value it failed on. */
export interface Failure {
  test: Test;
  value: Value;
  /** The names bound at the check, to look relations up by name (--explain). */
  names: NameTable;
  frame: Frame;
}

/** Where a run ends: accepted at the end of the program, or rejected by a check. */
export interface Outcome {
  accept(frame: Frame, names: NameTable): void;
  reject(failure: Failure): void;
}

/** What one run of the program shares: the execution's universe and where the run ends. */
export interface RunContext extends Universe {
  /** herd7's flags raised so far on this path of the run. */
  flags: string[];
  out: Outcome;
}

/**
 * A slot holds a value, a Lazy, or (a top-level binding, computed in the frame that holds it)
 * the bare code of its value: one object fewer per binding per run.
 */
export type Slot = Value | Lazy | Code | undefined;

export class Frame {
  readonly slots: Slot[];
  constructor(
    size: number,
    readonly parent: Frame | undefined,
    /** The run this frame belongs to (the top frame is reused from one run to the next). */
    public run: RunContext,
    /** The top frame only: the static slots of this run's shape, computed once per shape. */
    public shared?: Slot[],
  ) {
    this.slots = new Array(size);
  }
}

/** The value in a slot (the shape's shared one if the run has none), computed once if lazy. */
export function readSlot(f: Frame, index: number, name: string, at: CatPos): Value {
  let slots = f.slots;
  let v = slots[index];
  if (v === undefined && f.shared) {
    slots = f.shared;
    v = slots[index];
  }
  if (typeof v === 'function') {
    const forced = v(f);
    slots[index] = forced;
    return forced;
  }
  if (v instanceof Lazy) {
    const forced = v.code(v.frame);
    slots[index] = forced;
    return forced;
  }
  if (v === undefined) throw catError(`unbound var: ${name}`, at);
  return v;
}

/** A name's place: the scope holding it and its slot there. */
export interface Ref {
  scope: Scope;
  slot: number;
}

const collectors: Ref[][] = [];

/** Compile something, collecting the names its code reads (in nested code too). */
export function collectRefs<T>(compile: () => T): [T, Ref[]] {
  const refs: Ref[] = [];
  collectors.push(refs);
  try {
    return [compile(), refs];
  } finally {
    collectors.pop();
    collectors[collectors.length - 1]?.push(...refs);
  }
}

/** A compile-time scope: the names a frame's slots hold. */
export class Scope {
  readonly names = new Map<string, number>();
  size = 0;
  constructor(readonly parent?: Scope) {}

  bind(name: string | undefined): number {
    const slot = this.size++;
    if (name !== undefined) this.names.set(name, slot);
    return slot;
  }

  /** How many frames up the name lives, in which scope and slot; undefined when it is unbound. */
  resolve(name: string): { depth: number; slot: number; scope: Scope } | undefined {
    let depth = 0;
    for (let s: Scope | undefined = this; s; s = s.parent, depth++) {
      const slot = s.names.get(name);
      if (slot !== undefined) return { depth, slot, scope: s };
    }
    return undefined;
  }

  /** How many frames up the top-level frame is. */
  depth(): number {
    let d = 0;
    for (let s = this.parent; s; s = s.parent) d++;
    return d;
  }
}

/** Code reading a name: the frame `depth` levels up, its slot. */
export function variableCode(name: string, at: CatPos, scope: Scope): Code {
  const where = scope.resolve(name);
  if (!where) {
    return () => {
      throw catError(`unbound var: ${name}`, at);
    };
  }
  const { depth, slot } = where;
  collectors[collectors.length - 1]?.push({ scope: where.scope, slot });
  if (depth === 0) return (f) => readSlot(f, slot, name, at);
  if (depth === 1) return (f) => readSlot(f.parent!, slot, name, at);
  return (f) => {
    let fr = f;
    for (let d = 0; d < depth; d++) fr = fr.parent!;
    return readSlot(fr, slot, name, at);
  };
}

/** What expressions need from the program around them. */
export interface Statics {
  /** The tag value of `'name`, from the enums declared so far; undefined if none declares it. */
  tag(name: string): Value | undefined;
  /** Whether a variant (`"lkmmv2"`) is set for this run of the model. */
  variant(name: string): boolean;
}

/** What compiling needs to keep static values once per shape (frame.ts). */
export interface Sharing extends Statics {
  /** The top-level scope. */
  top: Scope;
  /** Whether a top-level slot changes from one candidate to the next. */
  isDynamic(slot: number): boolean;
}

/** Compiling an expression (eval.ts's compileExp), for the modules it hands parts to. */
export type Compile = (e: Exp, sc: Scope, st: Sharing) => Code;
