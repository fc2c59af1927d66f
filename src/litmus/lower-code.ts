// Thread code → IR instructions: statements, expressions and macro calls.
//
// IR expressions never read memory, so every memory access inside an expression (`*x`,
// `READ_ONCE(*x)`, `xchg(x, 1)`) is hoisted, in evaluation order (left to right, arguments
// before the call), into an instruction that writes a temporary register `%t0`, `%t1`, ...
// and the expression reads that register. A read on the right of && or || would then happen
// unconditionally, so it is refused. Macro calls follow their row in macros.ts.

import { didYouMean, type SourcePos } from '../errors.ts';
import type { AstExpr, AstStmt, AstThread } from './ast.ts';
import type { Addr, Expr, Instr, Location, Register } from './ir.ts';
import { macroInstrs } from './lower-macro.ts';
import { type ArgKind, MACRO_NAMES, MACROS, type MacroRow, macroReturns } from './macros.ts';

/** How the lowering reports a mistake at a position. */
export type Fail = (message: string, pos: SourcePos) => never;

export interface ThreadScope {
  registers: Register[];
  byName: Map<string, Register>;
  params: string[];
  locations: Location[];
  fail: Fail;
}

const SPIN_EVENTS = new Set(['lock', 'unlock', 'trylock', 'islocked']);

export function lowerBody(t: AstThread, scope: ThreadScope): Instr[] {
  return new CodeLowering(`P${t.id}`, scope).statements(t.body);
}

type Call = AstExpr & { kind: 'call' };

/** What a name means inside a thread. */
type Meaning = { kind: 'reg'; reg: Register } | { kind: 'loc'; loc: Location };

class CodeLowering {
  private temps = 0;
  private readonly fail: Fail;

  constructor(
    private readonly thread: string,
    private readonly scope: ThreadScope,
  ) {
    this.fail = scope.fail;
  }

  statements(list: AstStmt[]): Instr[] {
    const out: Instr[] = [];
    for (const s of list) this.statement(s, out);
    return out;
  }

  private statement(s: AstStmt, out: Instr[]): void {
    switch (s.kind) {
      case 'decl':
        if (s.init) this.assign({ kind: 'name', name: s.name, pos: s.pos }, s.init, out);
        return;
      case 'assign':
        this.assign(s.target, s.value, out);
        return;
      case 'expr':
        this.call(s.expr as Call, out);
        return;
      case 'if': {
        const cond = this.expr(s.cond, out);
        out.push({
          kind: 'branch',
          cond,
          // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
          then: this.statements(s.then),
          else: this.statements(s.else),
          pos: s.pos,
        });
        return;
      }
    }
  }

  private assign(target: AstExpr, value: AstExpr, out: Instr[]): void {
    if (target.kind === 'deref') {
      const addr = this.derefAddr(target.name, target.namePos, 'plain');
      out.push({
        kind: 'store',
        annot: 'plain',
        addr,
        value: this.expr(value, out),
        pos: target.pos,
      });
      return;
    }
    if (target.kind !== 'name') {
      this.fail('the left of = must be a register or *location', target.pos);
    }
    const m = this.meaning(target.name, target.pos, 'register');
    if (m.kind === 'loc') {
      this.fail(
        `${target.name} is a location: write *${target.name} = ... to store to it`,
        target.pos,
      );
    }
    const dst = target.name;
    if (value.kind === 'call') this.call(value, out, () => dst);
    else if (value.kind === 'deref') this.load(value, out, dst);
    else out.push({ kind: 'assign', dst, value: this.expr(value, out), pos: target.pos });
  }

  /** An expression with its memory reads hoisted into `out`. */
  private expr(e: AstExpr, out: Instr[]): Expr {
    switch (e.kind) {
      case 'num':
        return { kind: 'const', value: e.value };
      case 'name': {
        const m = this.meaning(e.name, e.pos, 'name');
        return m.kind === 'reg'
          ? { kind: 'reg', reg: m.reg.name }
          : { kind: 'addr', loc: m.loc.name };
      }
      case 'addrof':
        return { kind: 'addr', loc: this.location(e.name, e.namePos) };
      case 'deref':
        return { kind: 'reg', reg: this.load(e, out) };
      case 'call': {
        let dst = '';
        this.call(e, out, (addr) => {
          dst = this.temporary(addr);
          return dst;
        });
        return { kind: 'reg', reg: dst };
      }
      case 'unary':
        return { kind: 'unary', op: e.op, arg: this.expr(e.arg, out) };
      case 'binary': {
        const left = this.expr(e.left, out);
        const rightOut: Instr[] = [];
        const right = this.expr(e.right, rightOut);
        if ((e.op === '&&' || e.op === '||') && rightOut.length > 0) {
          this.fail(
            `a memory access on the right of ${e.op} is not supported here (herd7 takes it; here it would not be conditional): read it into a register first`,
            e.right.pos,
          );
        }
        out.push(...rightOut);
        return { kind: 'binary', op: e.op, left, right };
      }
    }
  }

  /** `*x` or `*r`: a plain load into dst, or into a new temporary. Returns the register. */
  private load(e: AstExpr & { kind: 'deref' }, out: Instr[], dst?: string): string {
    const addr = this.derefAddr(e.name, e.namePos, 'plain');
    const reg = dst ?? this.temporary(addr);
    out.push({ kind: 'load', annot: 'plain', addr, dst: reg, pos: e.pos });
    return reg;
  }

  /** A macro call; `dst` names the register that receives its value, when it is used. */
  private call(e: Call, out: Instr[], dst?: (addr?: Addr) => string): void {
    const row = this.macro(e, dst !== undefined);
    let addr: Addr = { kind: 'loc', loc: '' };
    const values: Expr[] = [];
    e.args.forEach((a, i) => {
      const kind = row.args[i]!;
      if (kind === 'value') values[i] = this.expr(a, out);
      else addr = this.argAddr(kind, i, a, e.name, row);
    });
    const result = (): string | undefined => dst?.(addr);
    out.push(
      ...macroInstrs(
        row,
        { addr, values, dst: result, temporary: () => this.temporary(addr) },
        e.pos,
      ),
    );
  }

  /** The macro's row, after checking its name, its arity, and that its value may be used. */
  private macro(e: Call, usedAsValue: boolean): MacroRow {
    if (!Object.hasOwn(MACROS, e.name))
      this.fail(`unknown macro ${e.name}${didYouMean(e.name, MACRO_NAMES, 1)}`, e.pos);
    const row = MACROS[e.name]!;
    if (e.args.length !== row.args.length) {
      const n = row.args.length;
      this.fail(
        `${e.name} takes ${n} argument${n === 1 ? '' : 's'}, found ${e.args.length}`,
        e.pos,
      );
    }
    if (usedAsValue && !macroReturns(row)) this.fail(`${e.name} returns no value`, e.pos);
    return row;
  }

  /** The address an lvalue (`*x`, `*r0`) or pointer (`x`, `&x`, `r0`) argument designates. */
  private argAddr(kind: ArgKind, index: number, a: AstExpr, macro: string, row: MacroRow): Addr {
    let addr: Addr;
    const nth = ['first', 'second', 'third'][index];
    if (kind === 'lvalue') {
      if (a.kind !== 'deref') {
        return this.fail(
          `the ${nth} argument of ${macro} must be *x or *r (a location to access)`,
          a.pos,
        );
      }
      addr = this.derefAddr(a.name, a.namePos, macro);
    } else if (a.kind === 'addrof') addr = { kind: 'loc', loc: this.location(a.name, a.namePos) };
    else if (a.kind === 'name') addr = this.pointerAddr(a.name, a.pos, a.name);
    else
      return this.fail(
        `the ${nth} argument of ${macro} must be a location or a pointer register (x, &x or r)`,
        a.pos,
      );
    this.checkSpin(addr, SPIN_EVENTS.has(row.event), macro, a.pos);
    return addr;
  }

  /** `*name`: a location, or the location a pointer register holds. */
  private derefAddr(name: string, pos: SourcePos, macro: string): Addr {
    const addr = this.pointerAddr(name, pos, `*${name}`);
    this.checkSpin(addr, false, macro === 'plain' ? `*${name}` : macro, pos);
    return addr;
  }

  private pointerAddr(name: string, pos: SourcePos, written: string): Addr {
    const m = this.meaning(name, pos, 'location');
    if (m.kind === 'loc') return { kind: 'loc', loc: m.loc.name };
    if (m.reg.type !== 'pointer') {
      this.fail(
        `${name} is not a pointer register, so ${written} cannot access memory through it (declare it int *${name})`,
        pos,
      );
    }
    return { kind: 'reg', reg: name };
  }

  /**
   * spin_* touch only spinlocks. A spinlock may also be accessed as data, as herd7 allows (the
   * model flags it mixed-lock-accesses; hw refuses it).
   */
  private checkSpin(addr: Addr, spin: boolean, what: string, pos: SourcePos): void {
    if (addr.kind !== 'loc') return;
    const loc = this.scope.locations.find((l) => l.name === addr.loc)!;
    if (spin && loc.type !== 'spinlock')
      this.fail(
        `${what} needs a spinlock_t, but ${loc.name} is ${loc.type === 'pointer' ? 'a pointer' : 'an int'}`,
        pos,
      );
  }

  /**
   * What a name means in this thread: a register, or a location among its parameters (as in
   * C, a thread sees only what it is passed). `want` words the error when it means nothing.
   */
  private meaning(name: string, pos: SourcePos, want: 'register' | 'location' | 'name'): Meaning {
    const reg = this.scope.byName.get(name);
    if (reg) return { kind: 'reg', reg };
    const loc = this.scope.locations.find((l) => l.name === name);
    if (loc && this.scope.params.includes(name)) return { kind: 'loc', loc };
    if (loc) {
      const decl = {
        int: `int *${name}`,
        pointer: `int **${name}`,
        spinlock: `spinlock_t *${name}`,
      }[loc.type];
      this.fail(`${name} is not a parameter of ${this.thread}: add ${decl} to its parameters`, pos);
    }
    const regs = [...this.scope.byName.keys()];
    const pointers = regs.filter((r) => this.scope.byName.get(r)!.type === 'pointer');
    const candidates =
      want === 'register'
        ? regs
        : want === 'location'
          ? [...this.scope.params, ...pointers]
          : [...regs, ...this.scope.params];
    const what =
      want === 'name'
        ? `name ${name} in ${this.thread}: not a register or a parameter`
        : `${want} ${name} in ${this.thread}`;
    return this.fail(`unknown ${what}${didYouMean(name, candidates)}`, pos);
  }

  private location(name: string, pos: SourcePos): string {
    const m = this.meaning(name, pos, 'location');
    if (m.kind === 'reg') this.fail(`&${name}: ${name} is a register, it has no address`, pos);
    return name;
  }

  /** A new temporary register, a pointer when it receives a load from a pointer location. */
  private temporary(addr?: Addr): string {
    const name = `%t${this.temps++}`;
    const loc =
      addr?.kind === 'loc' ? this.scope.locations.find((l) => l.name === addr.loc) : undefined;
    const r: Register = {
      name,
      type: loc?.type === 'pointer' ? 'pointer' : 'int',
      temporary: true,
    };
    this.scope.registers.push(r);
    return name;
  }
}
