// Names that the declarations do not give, found by scanning the AST before the lowering.
//
// herd7's C needs no declarations: a register assigned without one is declared there, and a
// register read but never assigned reads its initial 0 (the kernel's Documentation tests and
// Paul McKenney's generated tests rely on both). Nor does it check them: a register declared
// int may hold an address and be dereferenced. And a `spinlock_t` that no spin_* touches
// is, to herd7, an ordinary int (a test may build its own lock from xchg_acquire on it).

import type { AstExpr, AstLitmus, AstStmt } from './ast.ts';
import type { Location, Register } from './ir.ts';
import { MACROS } from './macros.ts';

/** A register the thread uses without declaring it, where it first appears. */
export interface ImpliedRegister {
  name: string;
  type: Register['type'];
  at: AstExpr;
}

/** What the scan needs to know about a thread's names. */
export interface KnownNames {
  registers: Map<string, Register>;
  params: string[];
  locations: Location[];
}

const SPIN_MACROS = new Set(['spin_lock', 'spin_unlock', 'spin_trylock', 'spin_is_locked']);

/**
 * The undeclared registers of a body: first those it assigns (typed by their first value),
 * then those it only reads (int), each once, in source order. A location's name is never a
 * register: the lowering says which parameter to add.
 */
export function impliedRegisters(body: AstStmt[], known: KnownNames): ImpliedRegister[] {
  const found = new Map<string, ImpliedRegister>();
  const isFree = (name: string) =>
    !found.has(name) &&
    !known.registers.has(name) &&
    !known.params.includes(name) &&
    !known.locations.some((l) => l.name === name);
  forEachStmt(body, (s) => {
    if (s.kind === 'assign' && s.target.kind === 'name' && isFree(s.target.name)) {
      const type = impliedType(s.value, known, (name) => found.get(name)?.type);
      found.set(s.target.name, { name: s.target.name, type, at: s.target });
    }
  });
  forEachStmt(body, (s) => {
    for (const e of valuesOf(s)) {
      visitReads(e, (name) => {
        if (isFree(name.name)) found.set(name.name, { name: name.name, type: 'int', at: name });
      });
    }
  });
  return [...found.values()];
}

/**
 * The names a body uses as addresses: `*r`, and a macro's location argument (`xchg(r, 1)`).
 * herd7 barely types declarations, so a register declared int that is used so holds an
 * address, as if declared int *.
 */
export function addressNames(body: AstStmt[]): Set<string> {
  const names = new Set<string>();
  const visit = (e: AstExpr): void => {
    if (e.kind === 'deref') names.add(e.name);
    if (e.kind === 'call') {
      const row = macroRow(e.name);
      e.args.forEach((a, i) => {
        if (row?.args[i] === 'pointer' && a.kind === 'name') names.add(a.name);
      });
    }
  };
  forEachStmt(body, (s) => {
    if (s.kind === 'assign') forEachExpr(s.target, visit);
    for (const e of valuesOf(s)) forEachExpr(e, visit);
  });
  return names;
}

/** The names the threads pass to spin_lock, spin_unlock, spin_trylock or spin_is_locked. */
export function spinLockNames(ast: AstLitmus): Set<string> {
  const names = new Set<string>();
  const visit = (e: AstExpr): void => {
    const lock = e.kind === 'call' && SPIN_MACROS.has(e.name) ? e.args[0] : undefined;
    if (lock?.kind === 'name' || lock?.kind === 'addrof') names.add(lock.name);
  };
  for (const t of ast.threads) {
    forEachStmt(t.body, (s) => {
      for (const e of valuesOf(s)) forEachExpr(e, visit);
    });
  }
  return names;
}

/** The macros.ts row of a call's name, if it is a macro. */
const macroRow = (name: string) => (Object.hasOwn(MACROS, name) ? MACROS[name] : undefined);

/** An expression and every expression inside it, outermost first. */
function forEachExpr(e: AstExpr, f: (e: AstExpr) => void): void {
  f(e);
  if (e.kind === 'call') for (const a of e.args) forEachExpr(a, f);
  else if (e.kind === 'unary' || e.kind === 'derefAt') forEachExpr(e.arg, f);
  else if (e.kind === 'binary') {
    forEachExpr(e.left, f);
    forEachExpr(e.right, f);
  }
}

/** Every statement of a body, in source order, inside if-arms too. */
function forEachStmt(body: AstStmt[], f: (s: AstStmt) => void): void {
  for (const s of body) {
    f(s);
    if (s.kind === 'if') {
      forEachStmt(s.then, f);
      forEachStmt(s.else, f);
    }
  }
}

/** The expressions a statement evaluates (not its assignment target). */
function valuesOf(s: AstStmt): AstExpr[] {
  switch (s.kind) {
    case 'decl':
      return s.init ? [s.init] : [];
    case 'assign':
      return [s.value];
    case 'expr':
      return [s.expr];
    case 'if':
      return [s.cond];
  }
}

/** The names an expression reads as values: not `*p`, `&x`, nor a macro's location argument. */
function visitReads(e: AstExpr, f: (name: AstExpr & { kind: 'name' }) => void): void {
  switch (e.kind) {
    case 'name':
      f(e);
      return;
    case 'call': {
      const row = macroRow(e.name);
      e.args.forEach((a, i) => {
        if (row?.args[i] === 'value') visitReads(a, f);
      });
      return;
    }
    case 'unary':
      visitReads(e.arg, f);
      return;
    case 'binary':
      visitReads(e.left, f);
      visitReads(e.right, f);
      return;
    default:
      return;
  }
}

/**
 * The type of an undeclared register from its first value: a pointer when that value is an
 * address (`&x`, a location's name, a pointer register) or is read from a pointer location
 * (`*p`, `rcu_dereference(*p)`, `READ_ONCE(*p)`), as the lowering types its temporaries.
 */
function impliedType(
  value: AstExpr,
  known: KnownNames,
  implied: (name: string) => Register['type'] | undefined,
): Register['type'] {
  const isPointer = (name: string, read: boolean): boolean => {
    const reg = known.registers.get(name)?.type ?? implied(name);
    if (reg) return !read && reg === 'pointer';
    if (!known.params.includes(name)) return false;
    const loc = known.locations.find((l) => l.name === name);
    return loc !== undefined && (!read || loc.type === 'pointer');
  };
  switch (value.kind) {
    case 'addrof':
      return 'pointer';
    case 'name':
      return isPointer(value.name, false) ? 'pointer' : 'int';
    case 'deref':
      return isPointer(value.name, true) ? 'pointer' : 'int';
    case 'call': {
      const first = value.args[0];
      const from = first?.kind === 'deref' || first?.kind === 'name' ? first.name : undefined;
      return from !== undefined && isPointer(from, true) ? 'pointer' : 'int';
    }
    default:
      return 'int';
  }
}
