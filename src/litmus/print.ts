// IR Test → C-litmus text that parses back to the same Test (but for pos, file and hash).
//
// Used to write variants of a test (a fence removed, an annotation weakened) as files a user
// can read and run. Each instruction is printed as the first macro of macros.ts that lowers
// to it. Temporaries are not printed: the instruction that sets one is put back, as text,
// where the temporary is read, which re-parses to the same hoisting in the same order (an
// address temporary as `*(x + (r0 & 128))`, diy7's address dependency).
// Expressions are fully parenthesised; a test built by hand with shapes the lowering never
// makes (a temporary read twice, a load of an annotation no macro has) is refused with an
// Error, since that is a bug of the caller, not a user's mistake.

import {
  type Addr,
  type Expr,
  type Instr,
  type Location,
  type Prop,
  type StateKey,
  stateKeyName,
  type Test,
  type Thread,
  type Value,
} from './ir.ts';
import { MACROS, type MacroRow } from './macros.ts';
import { formatKey, formatValue } from './state.ts';

/**
 * How the text is laid out: `kernel`, every location declared in the init block and final
 * values as `x=2`, as the kernel's tests are written; `diy7`, as diy7 7.58 writes its tests:
 * `{}` when every location is an int starting at 0, and final values as `[x]=2`.
 */
export type PrintStyle = 'kernel' | 'diy7';

export function printLitmus(test: Test, style: PrintStyle = 'kernel'): string {
  const out = [`C ${test.name}`, ''];
  if (test.expected) out.push(`(* Result: ${test.expected} *)`, '');
  const value = (v: Value) => formatValue(test, v);
  const zero = (l: Location) => l.type === 'int' && !l.atomic && l.init === 0;
  const noRegs = test.threads.every((t) => t.registerInit.size === 0);
  if (style === 'diy7' && test.locations.every(zero) && noRegs) out.push('{}', '');
  else {
    out.push('{');
    for (const loc of test.locations) out.push(`  ${locationDecl(loc, value)};`);
    for (const t of test.threads) {
      for (const [reg, v] of t.registerInit) out.push(`  ${t.id}:${reg} = ${value(v)};`);
    }
    out.push('}', '');
  }
  const key = style === 'diy7' ? formatKey : stateKeyName;
  for (const t of test.threads) out.push(...new ThreadPrinter(test, t).print(), '');
  if (test.extraKeys.length > 0)
    out.push(`locations [${test.extraKeys.map(stateKeyName).join('; ')}]`);
  const prop = (p: Prop) => printProp(p, value, key, true);
  if (test.filter) out.push(`filter (${prop(test.filter)})`);
  out.push(`${test.condition.quantifier} (${prop(test.condition.prop)})`);
  return `${out.join('\n')}\n`;
}

function locationDecl(loc: Location, value: (v: Value) => string): string {
  if (loc.type === 'spinlock') return `spinlock_t ${loc.name}`;
  if (loc.type === 'pointer') return `int *${loc.name} = ${value(loc.init)}`;
  return `${loc.atomic ? 'atomic_t' : 'int'} ${loc.name} = ${value(loc.init)}`;
}

function paramDecl(loc: Location): string {
  if (loc.type === 'spinlock') return `spinlock_t *${loc.name}`;
  if (loc.type === 'pointer') return `int **${loc.name}`;
  return `${loc.atomic ? 'atomic_t' : 'int'} *${loc.name}`;
}

function printProp(
  p: Prop,
  value: (v: Value) => string,
  key: (k: StateKey) => string,
  top = false,
): string {
  switch (p.kind) {
    case 'true':
      return 'true';
    case 'eq':
      return `${key(p.key)}=${value(p.value)}`;
    case 'eqkeys':
      return `${key(p.key)}=${formatKey(p.other)}`;
    case 'not':
      return `~(${printProp(p.arg, value, key, true)})`;
    case 'and':
    case 'or': {
      const op = p.kind === 'and' ? '/\\' : '\\/';
      // The parser groups a chain of one operator from the left: `a /\ b /\ c` is (a /\ b) /\ c.
      const left = printProp(p.left, value, key, p.left.kind === p.kind);
      const text = `${left} ${op} ${printProp(p.right, value, key)}`;
      return top ? text : `(${text})`;
    }
  }
}

/** The registers an instruction reads itself (for a branch: its condition only). */
function registersRead(i: Instr): string[] {
  const regs: string[] = [];
  const walk = (e: Expr | undefined): void => {
    if (e === undefined) return;
    if (e.kind === 'reg') regs.push(e.reg);
    else if (e.kind === 'unary') walk(e.arg);
    else if (e.kind === 'binary') {
      walk(e.left);
      walk(e.right);
    }
  };
  if ('addr' in i && i.addr?.kind === 'reg') regs.push(i.addr.reg);
  if (i.kind === 'store' || i.kind === 'assign') walk(i.value);
  if (i.kind === 'rmw') {
    walk(i.operand);
    walk(i.compare);
  }
  if (i.kind === 'branch') walk(i.cond);
  return regs;
}

/** The first macro whose row satisfies `match`, as macros.ts lists them. */
function macroFor(what: string, match: (row: MacroRow) => boolean): [string, MacroRow] {
  const found = Object.entries(MACROS).find(([, row]) => match(row));
  if (!found) throw new Error(`printLitmus: no macro gives ${what}`);
  return found;
}

class ThreadPrinter {
  /** Temporaries set but not yet read, with the text that computes them, in order. */
  private readonly pending = new Map<string, string>();
  private readonly temps: Set<string>;

  constructor(
    private readonly test: Test,
    private readonly thread: Thread,
  ) {
    this.temps = new Set(thread.registers.filter((r) => r.temporary).map((r) => r.name));
  }

  print(): string[] {
    const t = this.thread;
    const params = t.params.map((p) => paramDecl(this.test.locations.find((l) => l.name === p)!));
    const lines = [`P${t.id}(${params.join(', ')})`, '{'];
    for (const r of t.registers) {
      if (!r.temporary) lines.push(`  ${r.type === 'pointer' ? 'int *' : 'int '}${r.name};`);
    }
    lines.push(...this.body(t.body, '  '), '}');
    return lines;
  }

  private body(instrs: Instr[], indent: string): string[] {
    const lines: string[] = [];
    for (const i of instrs) {
      const dst = 'dst' in i ? i.dst : undefined;
      if (dst !== undefined && this.temps.has(dst)) {
        this.pending.set(dst, this.text(i));
        continue;
      }
      lines.push(...this.flushUnread(i, indent));
      if (i.kind === 'branch') {
        lines.push(
          `${indent}if (${this.expr(i.cond, true)}) {`,
          ...this.body(i.then, `${indent}  `),
        );
        if (i.else.length > 0) lines.push(`${indent}} else {`, ...this.body(i.else, `${indent}  `));
        lines.push(`${indent}}`);
      } else {
        const text = this.text(i);
        lines.push(`${indent}${dst === undefined ? text : `${dst} = ${text}`};`);
      }
    }
    lines.push(...this.flushUnread(undefined, indent));
    return lines;
  }

  /** Pending temporaries that `next` does not read: their instructions stand as statements. */
  private flushUnread(next: Instr | undefined, indent: string): string[] {
    const read = new Set(next ? registersRead(next) : []);
    const lines: string[] = [];
    for (const [temp, text] of this.pending) {
      if (read.has(temp)) continue;
      lines.push(`${indent}${text};`);
      this.pending.delete(temp);
    }
    return lines;
  }

  /** The C text of an instruction, without its destination and semicolon. */
  private text(i: Instr): string {
    switch (i.kind) {
      case 'load':
        if (i.annot === 'plain') return `*${this.addr(i.addr)}`;
        return this.call('load', i.annot, (r) => r.event === 'load' && r.annot === i.annot, [
          i.addr,
        ]);
      case 'store':
        if (i.annot === 'plain') return `*${this.addr(i.addr)} = ${this.expr(i.value, true)}`;
        return this.call(
          'store',
          i.annot,
          (r) => r.event === 'store' && r.annot === i.annot && !r.fence,
          [i.addr, i.value],
        );
      case 'rmw':
        return this.rmw(i);
      case 'fence':
        return `${macroFor(`fence ${i.annot}`, (r) => r.event === 'fence' && r.annot === i.annot)[0]}(${i.addr ? this.addr(i.addr) : ''})`;
      case 'lock':
      case 'unlock':
      case 'trylock':
      case 'islocked':
        return `${macroFor(i.kind, (r) => r.event === i.kind)[0]}(${this.addr(i.addr)})`;
      case 'assign':
        return this.expr(i.value, true);
      case 'branch':
        throw new Error('printLitmus: a branch cannot set a register');
    }
  }

  /** `READ_ONCE(*x)`, `smp_store_release(x, v)`: the row decides between *x and x. */
  private call(
    kind: string,
    annot: string,
    match: (r: MacroRow) => boolean,
    args: [Addr, Expr?],
  ): string {
    const [name, row] = macroFor(`${kind} ${annot}`, match);
    const lvalue = row.args[0] === 'lvalue';
    const where = `${lvalue ? '*' : ''}${this.addr(args[0], !lvalue)}`;
    return args[1] ? `${name}(${where}, ${this.expr(args[1], true)})` : `${name}(${where})`;
  }

  /** The rmw's macro: atomic_inc(v) rather than atomic_add(1, v) when the operand allows. */
  private rmw(i: Instr & { kind: 'rmw' }): string {
    const same = (r: MacroRow) =>
      r.event === 'rmw' &&
      r.op === i.op &&
      r.annot === i.annot &&
      r.result === i.result &&
      r.test === i.test &&
      (r.compareArg !== undefined) === (i.compare !== undefined);
    const fixed = (r: MacroRow) =>
      r.event === 'rmw' && i.operand.kind === 'const' && r.operand === i.operand.value;
    const generic = (r: MacroRow) => r.event === 'rmw' && r.operandArg !== undefined;
    const what = `rmw ${i.op} ${i.annot} ${i.result}`;
    const [name, row] =
      Object.entries(MACROS).find(([, r]) => same(r) && fixed(r)) ??
      macroFor(what, (r) => same(r) && generic(r));
    if (row.event !== 'rmw') throw new Error('unreachable');
    const args = row.args.map((_, k) => {
      if (k === row.addrArg) return this.addr(i.addr);
      if (k === row.operandArg) return this.expr(i.operand, true);
      return this.expr(i.compare!, true);
    });
    return `${name}(${args.join(', ')})`;
  }

  /** A location, a pointer register, or the expression a temporary holds: `(x + (r0 & 128))`. */
  private addr(a: Addr, bare = false): string {
    if (a.kind === 'loc') return a.loc;
    if (!this.temps.has(a.reg)) return a.reg;
    const text = this.readTemporary(a.reg);
    return bare ? text : `(${text})`;
  }

  private expr(e: Expr, top = false): string {
    switch (e.kind) {
      case 'const':
        return String(e.value);
      case 'reg':
        return this.temps.has(e.reg) ? this.readTemporary(e.reg) : e.reg;
      case 'addr':
        return e.loc;
      case 'unary':
        return `${e.op}(${this.expr(e.arg, true)})`;
      case 'binary': {
        const text = `${this.expr(e.left)} ${e.op} ${this.expr(e.right)}`;
        return top ? text : `(${text})`;
      }
    }
  }

  private readTemporary(reg: string): string {
    const text = this.pending.get(reg);
    if (text === undefined)
      throw new Error(`printLitmus: temporary ${reg} is read before it is set, or twice`);
    this.pending.delete(reg);
    return text;
  }
}
