// The litmus compiler: one thread of the IR → the source of a specialised JS function that runs
// that thread over a batch of instances (on the hw and weak backends alike).
//
// A .litmus file is data. Nothing from it reaches the generated text but integers: registers
// become numbered locals (reg0, reg1…), locations become numeric cell offsets, and every call
// is to one of our own operation names (src/memory/litmus-ops.ts). Names are kept on the side
// (`sites`) for error messages only. The generated text is the body of
// `new Function('ops', 'mem', source)`, which returns `function (n)` running instances 0..n-1.
//
// This module emits text; it neither evaluates it nor knows what memory the ops touch.

import type { SourcePos } from '../errors.ts';
import {
  type AccessAnnot,
  type Addr,
  addressOf,
  type Expr,
  type FenceAnnot,
  type Instr,
  observedKeys,
  type Test,
  type Thread,
} from './ir.ts';

/** The operations the generated code may call (src/memory/litmus-ops.ts implements them). */
const LITMUS_OP_NAMES = [
  'load_plain',
  'load_once',
  'load_acquire',
  'store_plain',
  'store_once',
  'store_release',
  'fence_mb',
  'fence_rmb',
  'fence_wmb',
  'fence_barrier',
  'fence_before_atomic',
  'fence_after_atomic',
  'fence_after_spinlock',
  'fence_after_unlock_lock',
  'fence_rcu_lock',
  'fence_rcu_unlock',
  'fence_after_srcu_unlock',
  'sync_rcu',
  'start_poll_rcu',
  'poll_rcu',
  'srcu_lock',
  'srcu_unlock',
  'sync_srcu',
  'start_poll_srcu',
  'poll_srcu',
  'rmw_xchg',
  'rmw_xchg_relaxed',
  'rmw_xchg_acquire',
  'rmw_xchg_release',
  'rmw_cmpxchg',
  'rmw_cmpxchg_relaxed',
  'rmw_cmpxchg_acquire',
  'rmw_cmpxchg_release',
  'rmw_add',
  'rmw_add_relaxed',
  'rmw_add_acquire',
  'rmw_add_release',
  'rmw_add_noreturn',
  'rmw_add_unless',
  'spin_lock',
  'spin_unlock',
  'spin_trylock',
  'spin_is_locked',
  'at',
  'start_instance',
  'pick_order',
  'inline_state',
] as const;
export type LitmusOpName = (typeof LITMUS_OP_NAMES)[number];

/** Where the generated code finds its cells: the fields of src/memory/layout.ts's Layout it reads. */
export interface CodeLayout {
  dataBase: number;
  instanceStride: number;
  /** Each location's cell from its instance's first cell, by location index. */
  offsets: readonly number[];
  outBase: readonly number[];
  outStride: readonly number[];
}

/** Where an instruction that can fail at run time is, for the message (not in the code). */
export interface Site {
  pos: SourcePos;
  /** For an access through a register: the register, as the test names it. */
  reg?: string;
}

export interface ThreadCode {
  thread: number;
  /** Body of `new Function('ops', 'mem', source)`. */
  source: string;
  /** The thread's registers written to the out region, in observedKeys order. */
  observed: string[];
  sites: Site[];
}

/** The registers of `thread` that the final state shows, in herd7's order. */
export function observedRegisters(test: Test, thread: number): string[] {
  return observedKeys(test).flatMap((k) =>
    k.kind === 'reg' && k.thread === thread ? [k.reg] : [],
  );
}

/**
 * How the weak CPU (src/memory/weak/) wants a thread: several orders of its body, one picked per
 * instance by the `pick_order` op; and, for the in-process driver, a generator running one
 * instance that yields before each memory access (a scheduler interleaves the threads there).
 */
export interface CompileOptions {
  /** Bodies to choose from (each a reordering of thread.body); default: thread.body alone. */
  orders?: Instr[][];
  /**
   * Emit `function* P(c, o)` for one instance at cells c (data) and o (out), yielding before
   * each access: `yield 2` before a load (STEP_LOAD, so a scheduler can hold loads back while
   * stores run), `yield` before any other access, `yield 1` while it waits (STEP_WAIT).
   */
  stepwise?: boolean;
  /** The memory object's own code for the thread's accesses, in place of calls to its ops. */
  inline?: InlineAccesses;
}

/**
 * A memory object's accesses compiled into the thread (the weak CPU's: memory/weak/compiled.ts):
 * text for each load, store and fence on a named location, made from integers only, and the
 * declarations it uses. The thread calls no op for them; `inline_state()` gives that text what
 * it reaches at run time: `memory`, the memory object's (MemoryOps.compiled), and `orders`,
 * the state of the seeded generator pick_order draws from.
 */
export interface InlineAccesses {
  /** A statement at the start of each instance (k: its index in the batch, c: its first cell). */
  begin(k: string, c: string): string;
  /** Statements: a load of location `loc` (its index in Test.locations) into `dst`. */
  load(loc: number, annot: AccessAnnot, dst: string): string[];
  /** Statements: the store of `value` (an expression) to location `loc`. */
  store(loc: number, annot: AccessAnnot, value: string): string[];
  /** An expression: which of `n` orders this instance runs (as the pick_order op draws it). */
  pickOrder(n: number): string;
  /** Statements (maybe none): the fence. */
  fence(annot: FenceAnnot): string[];
  /** A statement (maybe empty) at the end of each instance k of a batch of n (real threads only). */
  end(k: string, n: string): string;
  /** The declarations the text above uses, given the name of inline_state()'s value; asked last. */
  prelude(state: string): string[];
}

/** State of one compilation: name → number maps and what the body uses. */
interface Ctx {
  regs: Map<string, number>;
  locs: Map<string, number>;
  layout: CodeLayout;
  used: Set<LitmusOpName>;
  sites: Site[];
  stepwise: boolean;
  inline: InlineAccesses | undefined;
}

export function compileThread(
  test: Test,
  thread: Thread,
  layout: CodeLayout,
  opts: CompileOptions = {},
): ThreadCode {
  const observed = observedRegisters(test, thread.id);
  const regNames = thread.registers.map((r) => r.name);
  for (const r of observed) if (!regNames.includes(r)) regNames.push(r);
  const ctx: Ctx = {
    regs: new Map(regNames.map((r, i) => [r, i])),
    locs: new Map(test.locations.map((l, i) => [l.name, i])),
    layout,
    used: new Set(),
    sites: [],
    stepwise: opts.stepwise ?? false,
    inline: opts.inline,
  };
  const start = `    ${call(ctx, 'start_instance', 'k', 'c')};`;
  const body = emitOrders(ctx, opts.orders ?? [thread.body]);
  const inits = regNames.map((r, i) => `reg${i} = ${int(thread.registerInit.get(r) ?? 0)}`);
  const outs = observed.map((r, j) => `    mem[o + ${j}] = reg${ctx.regs.get(r)};`);
  const c0 = int(layout.dataBase);
  const o0 = int(layout.outBase[thread.id]!);
  // the instance's end is asked before the prelude: it may add to what the prelude declares
  const end = ctx.inline && !ctx.stepwise ? ctx.inline.end('k', 'n') : '';
  const inline = ctx.inline ? emitInlinePrelude(ctx, ctx.inline) : [];
  if (ctx.stepwise) {
    const begin = ctx.inline?.begin(`((c - ${c0}) / ${int(layout.instanceStride)}) | 0`, 'c');
    const lines = [
      `// P${thread.id}, compiled by smplab for one instance, yielding before each access`,
      `'use strict';`,
      `const { ${[...ctx.used].sort().join(', ')} } = ops;`,
      ...inline,
      `return function* P${thread.id}(c, o) {`,
      ...(begin ? [`    ${begin}`] : []),
      ...(inits.length ? [`    let ${inits.join(', ')};`] : []),
      ...body,
      ...outs,
      '};',
    ];
    return { thread: thread.id, source: `${lines.join('\n')}\n`, observed, sites: ctx.sites };
  }
  const lines = [
    `// P${thread.id}, compiled by smplab: registers are numbered, locations are cell offsets`,
    `'use strict';`,
    ...(ctx.used.size ? [`const { ${[...ctx.used].sort().join(', ')} } = ops;`] : []),
    ...inline,
    `return function P${thread.id}(n) {`,
    `  for (let k = 0, c = ${c0}, o = ${o0}; k < n; k++, c += ${int(layout.instanceStride)}, o += ${int(layout.outStride[thread.id]!)}) {`,
    start,
    ...(ctx.inline ? [`    ${ctx.inline.begin('k', 'c')}`] : []),
    ...(inits.length ? [`    let ${inits.join(', ')};`] : []),
    ...body,
    ...outs,
    ...(end ? [`    ${end}`] : []),
    '  }',
    '};',
  ];
  return { thread: thread.id, source: `${lines.join('\n')}\n`, observed, sites: ctx.sites };
}

/** The memory object's declarations for its compiled accesses (after the body made them). */
function emitInlinePrelude(ctx: Ctx, inline: InlineAccesses): string[] {
  return [`const wstate = ${call(ctx, 'inline_state')};`, ...inline.prelude('wstate')];
}

/** One body, or a switch over several picked per instance (the weak CPU's orders). */
function emitOrders(ctx: Ctx, orders: Instr[][]): string[] {
  if (orders.length === 1) return emitBlock(ctx, orders[0]!, '    ');
  return [
    `    switch (${ctx.inline ? ctx.inline.pickOrder(orders.length) : call(ctx, 'pick_order', int(orders.length))}) {`,
    ...orders.flatMap((body, j) => [
      `      case ${int(j)}: {`,
      ...emitBlock(ctx, body, '        '),
      '        break;',
      '      }',
    ]),
    '    }',
  ];
}

/** What a stepwise thread yields while a wait has not ended (see CompileOptions.stepwise). */
export const STEP_WAIT = 1;
/** What a stepwise thread yields before a load (see CompileOptions.stepwise). */
export const STEP_LOAD = 2;

function emitBlock(ctx: Ctx, instrs: Instr[], indent: string): string[] {
  return instrs.flatMap((ins) =>
    ctx.stepwise && ins.kind !== 'assign' && ins.kind !== 'branch'
      ? [
          `${indent}yield${ins.kind === 'load' ? ` ${STEP_LOAD}` : ''};`,
          ...emitInstr(ctx, ins, indent),
        ]
      : emitInstr(ctx, ins, indent),
  );
}

function emitInstr(ctx: Ctx, ins: Instr, indent: string): string[] {
  switch (ins.kind) {
    case 'load':
      if (ctx.inline)
        return ctx.inline
          .load(inlineLoc(ctx, ins.addr), ins.annot, reg(ctx, ins.dst))
          .map((l) => indent + l);
      return [
        `${indent}${reg(ctx, ins.dst)} = ${call(ctx, loadOp(ins.annot), emitAddr(ctx, ins.addr, ins.pos))};`,
      ];
    case 'store':
      if (ctx.inline)
        return ctx.inline
          .store(inlineLoc(ctx, ins.addr), ins.annot, emitExpr(ctx, ins.value))
          .map((l) => indent + l);
      return [
        `${indent}${call(ctx, storeOp(ins.annot), emitAddr(ctx, ins.addr, ins.pos), emitExpr(ctx, ins.value))};`,
      ];
    case 'rmw':
      return emitRmw(ctx, ins, indent);
    case 'fence':
      if (ins.annot === 'sync-rcu' || ins.annot === 'sync-srcu')
        return emitGracePeriod(ctx, ins, indent);
      if (ctx.inline) return ctx.inline.fence(ins.annot).map((l) => indent + l);
      return [`${indent}${call(ctx, fenceOp(ins.annot))};`];
    case 'lock':
      // In-process, a CPU waiting for a lock gives the scheduler its turn instead of spinning.
      if (ctx.stepwise)
        return [
          `${indent}while (${call(ctx, 'spin_trylock', emitAddr(ctx, ins.addr, ins.pos))} === 0) yield ${STEP_WAIT};`,
        ];
      // spin_lock() may wait forever on a test that never unlocks: its site names it then,
      // and when the instance is stuck (1) the thread goes on with the next one.
      return [
        `${indent}if (${call(ctx, 'spin_lock', emitAddr(ctx, ins.addr, ins.pos), int(site(ctx, { pos: ins.pos })))}) continue;`,
      ];
    case 'unlock':
      return [`${indent}${call(ctx, 'spin_unlock', emitAddr(ctx, ins.addr, ins.pos))};`];
    case 'trylock':
    case 'islocked': {
      const op = call(
        ctx,
        ins.kind === 'trylock' ? 'spin_trylock' : 'spin_is_locked',
        emitAddr(ctx, ins.addr, ins.pos),
      );
      return [`${indent}${ins.dst === undefined ? op : `${reg(ctx, ins.dst)} = ${op}`};`];
    }
    case 'assign':
      return [`${indent}${reg(ctx, ins.dst)} = ${emitExpr(ctx, ins.value)};`];
    case 'branch':
      return [
        `${indent}if (${emitExpr(ctx, ins.cond)} !== 0) {`,
        ...emitBlock(ctx, ins.then, `${indent}  `),
        ...(ins.else.length
          ? [`${indent}} else {`, ...emitBlock(ctx, ins.else, `${indent}  `)]
          : []),
        `${indent}}`,
      ];
  }
}

/**
 * synchronize_rcu() / synchronize_srcu(ssp): the memory object's wait; in process, the grace
 * period is started and then polled, yielding 1 (waiting) between polls.
 */
function emitGracePeriod(
  ctx: Ctx,
  ins: Extract<Instr, { kind: 'fence' }>,
  indent: string,
): string[] {
  const srcu = ins.annot === 'sync-srcu';
  if (srcu && !ins.addr) throw new Error('internal: synchronize_srcu() without its srcu_struct');
  const ssp = srcu && ins.addr ? [emitAddr(ctx, ins.addr, ins.pos)] : [];
  if (ctx.stepwise) {
    const start = call(ctx, srcu ? 'start_poll_srcu' : 'start_poll_rcu', ...ssp);
    const poll = call(ctx, srcu ? 'poll_srcu' : 'poll_rcu', ...ssp, 'g');
    return [
      `${indent}{`,
      `${indent}  const g = ${start};`,
      `${indent}  while (!${poll}) yield ${STEP_WAIT};`,
      `${indent}}`,
    ];
  }
  const where = int(site(ctx, { pos: ins.pos }));
  return [`${indent}if (${call(ctx, srcu ? 'sync_srcu' : 'sync_rcu', ...ssp, where)}) continue;`];
}

/**
 * An rmw: the memory object's operation of its flavour (fully ordered, _relaxed, _acquire,
 * _release: the annotation), and what its register receives.
 */
function emitRmw(ctx: Ctx, ins: Extract<Instr, { kind: 'rmw' }>, indent: string): string[] {
  const addr = emitAddr(ctx, ins.addr, ins.pos);
  const operand = emitExpr(ctx, ins.operand);
  const compare = ins.compare ? emitExpr(ctx, ins.compare) : undefined;
  const need = (what: string, e: string | undefined): string => {
    if (e === undefined) throw new Error(`internal: ${ins.op} without ${what}`);
    return e;
  };
  const flavour = rmwFlavour(ins);
  let op: string;
  let result: string; // in terms of `old` (the returned value) and `a` (the operand)
  switch (ins.op) {
    case 'xchg':
      op = call(ctx, `rmw_xchg${returning(flavour)}`, addr, 'a');
      result = ins.result === 'new' ? 'a' : 'old';
      break;
    case 'cmpxchg':
      op = call(ctx, `rmw_cmpxchg${returning(flavour)}`, addr, need('compare', compare), 'a');
      result = ins.result === 'new' ? 'a' : 'old';
      break;
    case 'add':
    case 'sub': {
      const amount = ins.op === 'add' ? 'a' : '(-a | 0)';
      op = call(ctx, `rmw_add${flavour}`, addr, amount);
      result = ins.result === 'new' ? `((old ${ins.op === 'add' ? '+' : '-'} a) | 0)` : 'old';
      break;
    }
    case 'add_unless':
      if (flavour !== '') throw new Error(`internal: atomic_add_unless annotated ${ins.annot}`);
      op = call(ctx, 'rmw_add_unless', addr, 'a', need('compare', compare));
      result = 'old';
      break;
  }
  const tested =
    ins.test === '==0' ? `+(${result} === 0)` : ins.test === '<0' ? `+(${result} < 0)` : result;
  return [
    `${indent}{`,
    `${indent}  const a = ${operand};`,
    `${indent}  const old = ${op};`,
    ...(ins.dst !== undefined && ins.result !== 'none'
      ? [`${indent}  ${reg(ctx, ins.dst)} = ${tested};`]
      : []),
    `${indent}}`,
  ];
}

/** A flavour of an rmw that has no form without a return value (xchg, cmpxchg). */
function returning<F extends string>(flavour: F): Exclude<F, '_noreturn'> {
  if (flavour === '_noreturn') throw new Error('internal: an xchg or cmpxchg with no return value');
  return flavour as Exclude<F, '_noreturn'>;
}

/**
 * The suffix of an rmw's flavour: '' fully ordered; unordered _relaxed; no return value (an
 * atomic_add, unordered too, whose read lkmm's smp_rmb does not order: only add and sub have
 * that form) _noreturn.
 */
function rmwFlavour(
  ins: Extract<Instr, { kind: 'rmw' }>,
): '' | '_relaxed' | '_acquire' | '_release' | '_noreturn' {
  switch (ins.annot) {
    case 'mb':
      return '';
    case 'once':
      return '_relaxed';
    case 'noreturn':
      return '_noreturn';
    case 'acquire':
      return '_acquire';
    case 'release':
      return '_release';
    default:
      throw new Error(`internal: an rmw annotated ${ins.annot}`);
  }
}

function loadOp(annot: AccessAnnot): LitmusOpName {
  if (annot === 'plain') return 'load_plain';
  if (annot === 'once') return 'load_once';
  if (annot === 'acquire') return 'load_acquire';
  // srcu_read_lock() / srcu_down_read(): a read of the srcu_struct, in LKMM
  if (annot === 'srcu-lock') return 'srcu_lock';
  throw new Error(`internal: a load annotated ${annot}`);
}

function storeOp(annot: AccessAnnot): LitmusOpName {
  if (annot === 'plain') return 'store_plain';
  if (annot === 'once') return 'store_once';
  if (annot === 'release') return 'store_release';
  // srcu_read_unlock() / srcu_up_read(): a write of the index to the srcu_struct, in LKMM
  if (annot === 'srcu-unlock') return 'srcu_unlock';
  throw new Error(`internal: a store annotated ${annot}`);
}

const FENCE_OPS: Record<Exclude<FenceAnnot, 'sync-rcu' | 'sync-srcu'>, LitmusOpName> = {
  mb: 'fence_mb',
  rmb: 'fence_rmb',
  wmb: 'fence_wmb',
  barrier: 'fence_barrier',
  'before-atomic': 'fence_before_atomic',
  'after-atomic': 'fence_after_atomic',
  'after-spinlock': 'fence_after_spinlock',
  'after-unlock-lock': 'fence_after_unlock_lock',
  'rcu-lock': 'fence_rcu_lock',
  'rcu-unlock': 'fence_rcu_unlock',
  'after-srcu-read-unlock': 'fence_after_srcu_unlock',
};

function fenceOp(annot: FenceAnnot): LitmusOpName {
  if (annot === 'sync-rcu' || annot === 'sync-srcu')
    throw new Error(`internal: ${annot} is a wait (emitGracePeriod), not a fence op`);
  return FENCE_OPS[annot];
}

function call(ctx: Ctx, op: LitmusOpName, ...args: string[]): string {
  ctx.used.add(op);
  return `${op}(${args.join(', ')})`;
}

/** A cell index: the instance's first cell `c` plus the location's offset. */
function emitAddr(ctx: Ctx, addr: Addr, pos: SourcePos): string {
  if (addr.kind === 'loc') return `c + ${int(ctx.layout.offsets[locIndex(ctx, addr.loc)]!)}`;
  return `c + ${call(ctx, 'at', reg(ctx, addr.reg), int(site(ctx, { pos, reg: addr.reg })))}`;
}

/** The location an inlined access names (the memory object inlines only named locations). */
function inlineLoc(ctx: Ctx, addr: Addr): number {
  if (addr.kind !== 'loc') throw new Error('internal: an inlined access through a register');
  return locIndex(ctx, addr.loc);
}

/** Record a site for messages; its number is what the code passes. */
function site(ctx: Ctx, s: Site): number {
  ctx.sites.push(s);
  return ctx.sites.length - 1;
}

/** A register expression with evalExpr's int32 semantics (src/litmus/ir.ts). */
function emitExpr(ctx: Ctx, e: Expr): string {
  switch (e.kind) {
    case 'const':
      return int(e.value);
    case 'reg':
      return reg(ctx, e.reg);
    case 'addr':
      return int(addressOf(locIndex(ctx, e.loc)));
    case 'unary': {
      const a = emitExpr(ctx, e.arg);
      return e.op === '!' ? `+(${a} === 0)` : e.op === '-' ? `(-${a} | 0)` : `(~${a})`;
    }
    case 'binary': {
      const a = emitExpr(ctx, e.left);
      const b = emitExpr(ctx, e.right);
      switch (e.op) {
        case '+':
        case '-':
          return `((${a} ${e.op} ${b}) | 0)`;
        case '*':
          return `Math.imul(${a}, ${b})`;
        case '&':
        case '|':
        case '^':
          return `(${a} ${e.op} ${b})`;
        case '==':
          return `+(${a} === ${b})`;
        case '!=':
          return `+(${a} !== ${b})`;
        case '&&':
          return `+(${a} !== 0 && ${b} !== 0)`;
        case '||':
          return `+(${a} !== 0 || ${b} !== 0)`;
        default:
          return `+(${a} ${e.op} ${b})`;
      }
    }
  }
}

function reg(ctx: Ctx, name: string): string {
  const i = ctx.regs.get(name);
  if (i === undefined)
    throw new Error(`internal: register ${JSON.stringify(name)} is not declared by its thread`);
  return `reg${i}`;
}

function locIndex(ctx: Ctx, name: string): number {
  const i = ctx.locs.get(name);
  if (i === undefined)
    throw new Error(`internal: location ${JSON.stringify(name)} is not in Test.locations`);
  return i;
}

/** The only way a number reaches the source: an int32, parenthesised when negative. */
function int(v: number): string {
  if (!Number.isInteger(v) || v < -0x8000_0000 || v > 0xffff_ffff)
    throw new Error(`internal: ${v} is not an integer cell or value`);
  return v < 0 ? `(${v})` : String(v);
}
