// AST → IR: resolve the names of a parsed litmus test and check them.
//
// Locations come from the init block (declared, then only named as values), then from the
// threads' parameters, in that order (a location's index is its address, ir.ts). A thread's
// registers are its declarations, then those only the init block sets, then those it uses
// without a declaration (lower-names.ts), then the lowering's temporaries. The condition's
// threads, registers and locations must exist. Thread code is lowered by lower-code.ts.
// Every name here was lexed as an identifier, so the IR holds only validated identifiers and
// int32 numbers.

import { didYouMean, errorAt, type SourcePos } from '../errors.ts';
import type {
  AstInitValue,
  AstKey,
  AstLitmus,
  AstProp,
  AstStmt,
  AstThread,
  AstType,
} from './ast.ts';
import {
  addressOf,
  type Expectation,
  type Location,
  type LocationType,
  type Prop,
  type Register,
  type StateKey,
  type Test,
  type Thread,
  type Value,
} from './ir.ts';
import { type Fail, lowerBody } from './lower-code.ts';
import { addressNames, impliedRegisters, spinLockNames } from './lower-names.ts';

const RESULT_LINE = /\bResult:\s*(Never|Sometimes|Always)\b/;

export function lower(ast: AstLitmus, file: string, text: string): Test {
  const fail: Fail = (message, pos) => {
    throw errorAt(message, file, text, pos);
  };
  const locations = lowerLocations(ast, fail);
  const index = new Map(locations.map((l, i) => [l.name, i]));
  const value = (v: AstInitValue): Value => {
    if (v.kind === 'num') return v.value;
    const i = index.get(v.name);
    if (i === undefined)
      return fail(`unknown location ${v.name}${didYouMean(v.name, [...index.keys()])}`, v.pos);
    return addressOf(i);
  };
  for (const item of ast.init) {
    if (item.kind === 'loc' && item.value)
      locations[index.get(item.name)!]!.init = value(item.value);
    if (item.kind === 'reg' && item.thread >= ast.threads.length) {
      fail(
        `the init block names thread ${item.thread} but the test has ${threadRange(ast.threads.length)}`,
        item.pos,
      );
    }
  }
  const threads = ast.threads.map((t) => lowerThread(t, ast, locations, fail));
  for (const item of ast.init) {
    if (item.kind === 'reg') threads[item.thread]!.registerInit.set(item.reg, value(item.value));
  }
  const names = { threads, locations: index, fail, value };
  const expected = expectedResult(ast.comments);
  return {
    name: ast.name,
    file,
    ...(expected && { expected }),
    locations,
    threads,
    condition: { quantifier: ast.quantifier, prop: lowerProp(ast.condition, names) },
    extraKeys: ast.extraKeys.map((k) => lowerKey(k, names, 'locations')),
    ...(ast.filter && { filter: lowerProp(ast.filter, names) }),
    hash: '',
  };
}

/** The first `Result: Never|Sometimes|Always` of the comments, as the kernel's tests write it. */
function expectedResult(comments: string[]): Expectation | undefined {
  for (const c of comments) {
    const m = RESULT_LINE.exec(c);
    if (m) return m[1] as Expectation;
  }
  return undefined;
}

interface Declared {
  type: LocationType | undefined;
  atomic: boolean;
  /** Where the type was decided, for a conflict's message. */
  typePos?: SourcePos;
}

const TYPE_NAMES: Record<AstType, string> = {
  int: 'int',
  pointer: 'int *',
  spinlock: 'spinlock_t',
  atomic: 'atomic_t',
};

/** Every location, typed by the init block and the parameters, init values still 0. */
function lowerLocations(ast: AstLitmus, fail: Fail): Location[] {
  const declared = new Map<string, Declared>();
  const declare = (name: string, type: AstType | undefined, pos: SourcePos) => {
    const d = declared.get(name) ?? { type: undefined, atomic: false };
    declared.set(name, d);
    if (type === 'atomic') d.atomic = true;
    const kind: LocationType | undefined = type === 'atomic' ? 'int' : type;
    if (kind === undefined) return;
    if (d.type !== undefined && d.type !== kind) {
      fail(
        `${name} is declared ${TYPE_NAMES[kind]} here but ${TYPE_NAMES[d.type]} at line ${d.typePos!.line}`,
        pos,
      );
    }
    d.type = kind;
    d.typePos ??= pos;
  };
  const initialised = new Set<string>();
  for (const item of ast.init) {
    if (item.kind !== 'loc') continue;
    if (initialised.has(item.name))
      fail(`${item.name} is declared twice in the init block`, item.pos);
    initialised.add(item.name);
    // A location whose initial value is an address holds a pointer, whatever its declaration.
    declare(item.name, item.value?.kind === 'loc' ? 'pointer' : item.type, item.pos);
  }
  // A location the init block names only as a value (`int *p = &y;`) exists, as in herd7.
  for (const item of ast.init) {
    if (item.value?.kind === 'loc') declare(item.value.name, undefined, item.value.pos);
  }
  for (const t of ast.threads) {
    const seen = new Set<string>();
    for (const p of t.params) {
      if (seen.has(p.name)) fail(`parameter ${p.name} appears twice in P${t.id}`, p.pos);
      seen.add(p.name);
      // `int *x` says nothing the init block may not refine (x may hold a pointer).
      declare(p.name, p.type === 'int' ? undefined : p.type, p.pos);
    }
  }
  const locked = spinLockNames(ast);
  const valued = new Set(ast.init.flatMap((i) => (i.kind === 'loc' && i.value ? [i.name] : [])));
  // herd7 has no lock type: a spinlock_t that no spin_* touches is an int, and an int (never
  // given an initial value) that spin_* takes is a lock (lower-names.ts).
  const typeOf = (name: string, d: Declared): LocationType => {
    if (d.type === 'spinlock') return locked.has(name) ? 'spinlock' : 'int';
    if ((d.type ?? 'int') === 'int' && locked.has(name) && !valued.has(name)) return 'spinlock';
    return d.type ?? 'int';
  };
  return [...declared].map(([name, d]) => ({
    name,
    type: typeOf(name, d),
    init: 0,
    ...(d.atomic && { atomic: true }),
  }));
}

function lowerThread(t: AstThread, ast: AstLitmus, locations: Location[], fail: Fail): Thread {
  const params = t.params.map((p) => p.name);
  const registers: Register[] = [];
  const byName = new Map<string, Register>();
  const addRegister = (name: string, type: Register['type'], pos: SourcePos) => {
    if (byName.has(name)) fail(`register ${name} is declared twice in P${t.id}`, pos);
    if (params.includes(name)) fail(`${name} is both a parameter and a register of P${t.id}`, pos);
    const r: Register = { name, type };
    registers.push(r);
    byName.set(name, r);
  };
  forEachDecl(t.body, (d) => addRegister(d.name, d.type === 'pointer' ? 'pointer' : 'int', d.pos));
  const initialised = new Set<string>();
  for (const item of ast.init) {
    if (item.kind !== 'reg' || item.thread !== t.id) continue;
    if (initialised.has(item.reg))
      fail(`register ${item.thread}:${item.reg} is initialised twice`, item.pos);
    initialised.add(item.reg);
    if (!byName.has(item.reg))
      addRegister(
        item.reg,
        item.type === 'pointer' || item.value.kind === 'loc' ? 'pointer' : 'int',
        item.pos,
      );
  }
  for (const r of impliedRegisters(t.body, { registers: byName, params, locations }))
    addRegister(r.name, r.type, r.at.pos);
  for (const name of addressNames(t.body)) {
    const r = byName.get(name);
    if (r) r.type = 'pointer';
  }
  const body = lowerBody(t, { registers, byName, params, locations, fail });
  return { id: t.id, params, registers, registerInit: new Map(), body };
}

function forEachDecl(body: AstStmt[], f: (d: AstStmt & { kind: 'decl' }) => void): void {
  for (const s of body) {
    if (s.kind === 'decl') f(s);
    else if (s.kind === 'if') {
      forEachDecl(s.then, f);
      forEachDecl(s.else, f);
    }
  }
}

const threadRange = (n: number): string => (n === 1 ? 'only P0' : `threads P0..P${n - 1}`);

interface Names {
  threads: Thread[];
  locations: Map<string, number>;
  fail: Fail;
  value: (v: AstInitValue) => Value;
}

/**
 * A key of the condition or of `locations [...]`. A register the thread does not have is an
 * error in the condition, but herd7 prints one that `locations` names, as 0 (a register never
 * written), and so does this: it becomes a register of the thread, never written.
 */
function lowerKey(k: AstKey, n: Names, where: 'condition' | 'locations' = 'condition'): StateKey {
  if (k.kind === 'loc') {
    if (!n.locations.has(k.loc))
      n.fail(`unknown location ${k.loc}${didYouMean(k.loc, [...n.locations.keys()])}`, k.pos);
    return { kind: 'loc', loc: k.loc };
  }
  const thread = n.threads[k.thread];
  if (!thread)
    return n.fail(
      `the condition names thread ${k.thread} but the test has ${threadRange(n.threads.length)}`,
      k.pos,
    );
  const regs = thread.registers.filter((r) => !r.temporary).map((r) => r.name);
  if (!regs.includes(k.reg) && where === 'locations')
    thread.registers.push({ name: k.reg, type: 'int' });
  else if (!regs.includes(k.reg))
    n.fail(`P${k.thread} has no register ${k.reg}${didYouMean(k.reg, regs)}`, k.pos);
  return { kind: 'reg', thread: k.thread, reg: k.reg };
}

function lowerProp(p: AstProp, n: Names): Prop {
  switch (p.kind) {
    case 'true':
      return { kind: 'true' };
    case 'false':
      return { kind: 'not', arg: { kind: 'true' } };
    case 'eq':
      return { kind: 'eq', key: lowerKey(p.key, n), value: n.value(p.value) };
    case 'eqkeys':
      return { kind: 'eqkeys', key: lowerKey(p.key, n), other: lowerKey(p.other, n) };
    case 'not':
      return { kind: 'not', arg: lowerProp(p.arg, n) };
    case 'and':
    case 'or':
      return { kind: p.kind, left: lowerProp(p.left, n), right: lowerProp(p.right, n) };
  }
}
