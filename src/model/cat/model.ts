// A memory model read from herd7's files, run by the cat interpreter: herd7's stdlib.cat, the
// bell file, then the model's cat file, compiled once, then run on each candidate execution
// herd7 would hand it (candidates.ts). A run that reaches the end of the model is an accepted
// execution; `with x from S` makes one per choice (lock.cat's and cos-opt.cat's coherence
// orders), so a candidate stands for as many executions as runs accept it. Flags are those
// raised on accepted runs; a rejection names the cat file's check and its relation.
//
// This is a Model like sc, tso and lkmm (base.ts): checkModel, --explain and the reports take it
// as they take those.

import { basename } from 'node:path';
import type { Test } from '../../litmus/ir.ts';
import { observedKeys } from '../../litmus/ir.ts';
import type { Axiom, Model, ModelResult } from '../core/base.ts';
import type { Execution, LocationChoices, Skeleton } from '../core/execution.ts';
import { memo } from '../core/execution.ts';
import { cross, EventSet, Relation, toid } from '../core/relation.ts';
import { uncached } from '../core/stable.ts';
import type { CatFile } from './ast.ts';
import { bellAnnotations } from './bell.ts';
import { herdChoices, valuesSolvable } from './choices.ts';
import { environment, locationOf, type PreExecution } from './env.ts';
import { boundValue, compileProgram, type Program } from './exec.ts';
import { type CatSpec, findFile, includeFile, loadCatFile } from './files.ts';
import { type Failure, Frame, type NameTable, type RunContext, type Slot } from './frame.ts';
import { readMacros } from './macros.ts';
import type { Universe } from './ops.ts';
import { differentValues, PRIMITIVE_NAMES, primitives } from './primitives.ts';
import { runSteps } from './steps.ts';
import type { Value } from './values.ts';

/** The primitives that change from one candidate of a shape to the next; the rest are static. */
const DYNAMIC_PRIMITIVES = ['rf', 'FW', 'pco', 'different-values', 'same-instance'];

let models = 0;

export class CatModel implements Model {
  readonly name: string;
  /** This model's key for the per-shape values it keeps (Shape.memo). */
  private readonly key = `cat-model-${models++}`;
  /** The files read, in the order they run (stdlib.cat, the bell, the model); includes aside. */
  readonly files: string[];
  private readonly program: Program;
  private readonly env: ReturnType<typeof environment>;
  private readonly primitiveNames: string[];
  private readonly tags = new Map<string, Value>();
  private readonly enums = new Map<string, Value[]>();
  private readonly enumTags = (type: string): Value[] => this.enums.get(type) ?? [];
  /** The primitive sets and relations that change with each candidate, by slot. */
  private readonly dynamicPrimitives: [
    number,
    'rf' | 'FW' | ((x: PreExecution) => EventSet | Relation),
  ][] = [];
  private readonly differentValues: number | undefined;
  /** The top frame, reused by every run (runs are synchronous and do not nest). */
  private top?: Frame;

  constructor(readonly spec: CatSpec) {
    this.name = basename(spec.cat);
    const stdlib = loadCatFile(findFile('stdlib.cat', []));
    const bell = spec.bell ? loadCatFile(spec.bell) : undefined;
    const cat = loadCatFile(spec.cat);
    const files: CatFile[] = [stdlib, ...(bell ? [bell] : []), cat];
    this.files = files.map((f) => f.file);
    this.env = environment(
      bell ? bellAnnotations(bell) : [],
      spec.macros ? readMacros(spec.macros) : new Map(),
    );
    this.primitiveNames = [...this.env.keys(), ...PRIMITIVE_NAMES];
    const variants = new Set(spec.variants.map((v) => v.toLowerCase()));
    this.program = compileProgram(files, this.primitiveNames, {
      dynamic: DYNAMIC_PRIMITIVES,
      tag: (name) => this.tags.get(name),
      variant: (name) => variants.has(name.toLowerCase()),
      declareEnum: (type, tags) => {
        const values = tags.map((name): Value => ({ k: 'tag', type, name }));
        values.forEach((v, i) => {
          this.tags.set(tags[i]!, v);
        });
        this.enums.set(type, values);
      },
      include: (name, from) => includeFile(name, from, spec.includes),
      skip: new Set(spec.skip),
    });
    [...this.env].forEach(([name, make], slot) => {
      if (DYNAMIC_PRIMITIVES.includes(name))
        this.dynamicPrimitives.push([slot, name === 'rf' || name === 'FW' ? name : make]);
    });
    this.differentValues = this.primitiveNames.indexOf('different-values');
  }

  choices(test: Test): LocationChoices {
    const names = test.locations.map((l) => l.name);
    const observed = new Set(
      observedKeys(test).flatMap((k) => (k.kind === 'loc' ? [names.indexOf(k.loc)] : [])),
    );
    return (sk, l) => herdChoices(sk, l, observed.has(l));
  }

  run(x: Execution, keep = false): ModelResult {
    if (!valuesSolvable(x)) return { executions: 0, flags: [], failed: thinAir };
    const sk = x.sk;
    const fw = EventSet.of(
      sk.n,
      (x.final ?? []).filter((w): w is number => w !== undefined),
    );
    const pre: PreExecution = { sk, rf: x.rf, fw };
    const tally: Tally = { x, keep, accepted: 0, flags: new Set() };
    const top = this.topFrame(pre, tally);
    uncached(() =>
      runSteps(this.program.steps, 0, top, () => top.run.out.accept(top, this.program.names)),
    );
    const { accepted, flags, witness, failure } = tally;
    if (accepted > 0) return { executions: accepted, flags: [...flags].sort(), ...witness };
    return { executions: 0, flags: [], ...(failure ?? { failed: noExecution }) };
  }

  /** The top frame for a run, reused from run to run, its dynamic primitives bound. */
  private topFrame(pre: PreExecution, tally: Tally): Frame {
    const shared = this.shared(pre);
    const u = universe(pre.sk);
    const run: RunContext = {
      ...u,
      enumTags: this.enumTags,
      flags: [],
      out: {
        accept: (frame, names) => {
          tally.accepted++;
          for (const f of run.flags) tally.flags.add(f);
          if (tally.keep && !tally.witness) tally.witness = snapshot(tally.x, frame, names);
        },
        reject: (f) => {
          if (tally.failure) return;
          tally.failure = { failed: { axiom: axiomOf(f), rel: asRelation(pre.sk, f.value) } };
          if (tally.keep) Object.assign(tally.failure, snapshot(tally.x, f.frame, f.names));
        },
      },
    };
    this.top ??= new Frame(this.program.scope.size, undefined, run, shared);
    const top = this.top;
    top.run = run;
    top.shared = shared;
    const slots = top.slots;
    for (const [slot, make] of this.dynamicPrimitives)
      slots[slot] = make === 'rf' ? pre.rf : make === 'FW' ? pre.fw : () => make(pre);
    if (this.differentValues !== undefined)
      slots[this.differentValues] = differentValues(pre.sk.n, (e) => eventValue(pre, e));
    return top;
  }

  /**
   * The static slots of this candidate's shape (frame.ts): made, with the static primitives in
   * them, by the first candidate of the shape; every later one reads them.
   */
  private shared(pre: PreExecution): Slot[] {
    const memo = pre.sk.memo;
    let shared = memo.get(this.key) as Slot[] | undefined;
    if (shared) return shared;
    shared = new Array(this.program.scope.size);
    memo.set(this.key, shared);
    let k = 0;
    for (const make of this.env.values()) {
      if (!this.program.dynamic.has(k)) shared[k] = () => make(pre);
      k++;
    }
    const prims = primitives({
      n: pre.sk.n,
      po: pre.sk.po,
      eventValue: (e) => eventValue(pre, e),
      locationOf: (e) => locationOf(pre.sk.events[e]!),
      initialSet: (name) => this.env.get(name)?.(pre),
    });
    for (const name of PRIMITIVE_NAMES) {
      if (!this.program.dynamic.has(k)) shared[k] = prims[name];
      k++;
    }
    return shared;
  }
}

/** The value an event reads or writes; none for fences and lock events. */
function eventValue(pre: PreExecution, e: number): number | undefined {
  const ev = pre.sk.events[e]!;
  return ev.dir === 'F' || ev.lock !== undefined ? undefined : ev.value;
}

/** What a run collects: accepted executions and their flags, the first failure. */
interface Tally {
  x: Execution;
  keep: boolean;
  accepted: number;
  flags: Set<string>;
  witness?: { named: Map<string, Relation>; x: Execution };
  failure?: {
    failed: NonNullable<ModelResult['failed']>;
    named?: Map<string, Relation>;
    x?: Execution;
  };
}

/** What the operators need of a shape, made once per shape. */
function universe(sk: Skeleton): Omit<Universe, 'enumTags'> {
  return memo(sk, 'cat-universe', () => {
    const all = EventSet.where(sk.n, () => true);
    return {
      n: sk.n,
      all,
      unv: cross(all, all),
      id: toid(all),
      emptyRel: Relation.none(sk.n),
      emptySet: EventSet.none(sk.n),
    };
  });
}

/** A candidate herd7 drops before the model: its values would come from themselves. */
const thinAir = {
  axiom: {
    name: 'no candidate',
    check: 'acyclic',
    rel: 'rf | data | addr: the values read would depend on themselves (herd7 cannot solve them)',
  } as Axiom,
  rel: Relation.none(0),
};

const noExecution = {
  axiom: { name: 'no execution', check: 'empty', rel: 'the model accepted no choice' } as Axiom,
  rel: Relation.none(0),
};

function axiomOf(f: Failure): Axiom {
  const t = f.test;
  return {
    name: t.name ?? t.text,
    check: t.test,
    rel: t.negated ? `~${t.test} ${t.text}` : t.text,
  };
}

/** The value a check failed on, as a relation (a set as its identity) for --explain. */
function asRelation(sk: Skeleton, v: Value): Relation {
  if (v instanceof Relation) return v;
  if (v instanceof EventSet) return toid(v);
  return Relation.none(sk.n);
}

/** The relations bound at a point of a run, and the execution as the model completed it there. */
function snapshot(
  x: Execution,
  frame: Frame,
  names: NameTable,
): { named: Map<string, Relation>; x: Execution } {
  const named = new Map<string, Relation>();
  for (const name of names.keys()) {
    const v = boundValue(frame, names, name);
    if (v instanceof Relation) named.set(name, v);
  }
  const rf = named.get('rf') ?? x.rf;
  const co = named.get('co') ?? x.co;
  return { named, x: { ...x, rf, co, coOrder: coOrders(x.sk, co) } };
}

/** Per location, its writes in the order co puts them (by how many writes co puts first). */
function coOrders(sk: Skeleton, co: Relation): number[][] {
  return sk.byLoc.map((ids) => {
    const inCo = ids.filter(
      (id) =>
        sk.events[id]!.thread < 0 ||
        [...co.successors(id)].length > 0 ||
        ids.some((p) => co.has(p, id)),
    );
    const before = (id: number) => inCo.filter((p) => co.has(p, id)).length;
    return inCo.sort((a, b) => before(a) - before(b));
  });
}
