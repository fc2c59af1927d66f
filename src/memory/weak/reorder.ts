// Out-of-order execution for the weak CPU: a few orders of one thread's instructions, each a
// reordering LKMM allows, so that a store performed before an earlier load (LB, S), two
// stores or two loads swapped (MP) show on the emulated CPU. One order is picked per instance;
// staleness of what a load reads comes from the memory object (weak/cpu.ts), not from here.
//
// An instruction B may be performed before an earlier one A ("B passes A") unless LKMM keeps
// them in order (its preserved program order), or the registers say so:
//   - registers: B reads what A writes (data, address and control dependencies run through
//     registers), or writes what A reads or writes;
//   - memory: both access the same location, or one goes through a register that may hold the
//     other's address (coherence); A is an acquire (a load, an rmw, a lock), or B a release
//     (a store, an rmw);
//   - fences: smp_mb() and the other full fences, synchronize_rcu(), fully ordered rmws are
//     walls nothing crosses; a lock is an acquire, an unlock a release, and lock operations
//     keep their order among themselves (swapping two could make a deadlock the test has not); smp_rmb() keeps loads on their side, smp_wmb() stores;
//     barrier() keeps plain accesses; rcu_read_lock() and rcu_read_unlock() are barrier() for
//     plain accesses and nothing else — unless the test has a grace period, then nothing after
//     rcu_read_lock() goes before it and nothing before rcu_read_unlock() goes after it (the
//     section's accesses must happen inside its registration with the grace periods; accesses
//     may still move into a section: more order, which is sound);
//   - a branch is a unit: an instruction after it passes it when it passes everything in it (a
//     store after an `if` is not control-dependent on the `if`'s load, only those inside are).
// Before that, rewrite.ts puts smp_mb__before_atomic() and its kin where their ordering starts
// (or drops a lone one) and fuses an smp_rmb() to every access through a register (the address
// dependency: the weak CPU applies the views of earlier loads), which other loads may pass.
//
// The orders are drawn from a seeded generator: order 0 is program order, the others random
// topological orders of "must stay before", writes preferred early. This module rewrites IR;
// it neither runs code nor knows the memory object.

import {
  type Expr,
  type Instr,
  locationOfAddress,
  type Test,
  type Thread,
} from '../../litmus/ir.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../random.ts';
import { isDepFence, mapArms, placeAtomicFences, withDependencyFences } from './rewrite.ts';

/** How many orders of a thread the weak CPU picks from at most (program order included). */
export const MAX_ORDERS = 8;

/** What the reorderings need to know about the whole test. */
export interface TestFacts {
  /** Locations whose address appears somewhere: an access through a register may reach them. */
  aliased: ReadonlySet<string>;
  /** The test has synchronize_rcu() / synchronize_srcu(): read-side sections order (see the header). */
  gracePeriods: boolean;
}

export function testFacts(test: Test): TestFacts {
  const aliased = new Set<string>();
  const addValue = (v: number) => {
    const j = locationOfAddress(test, v);
    if (j !== undefined) aliased.add(test.locations[j]!.name);
  };
  for (const l of test.locations) addValue(l.init);
  let gracePeriods = false;
  const walkExpr = (e: Expr | undefined): void => {
    if (!e) return;
    if (e.kind === 'addr') aliased.add(e.loc);
    else if (e.kind === 'unary') walkExpr(e.arg);
    else if (e.kind === 'binary') {
      walkExpr(e.left);
      walkExpr(e.right);
    }
  };
  const walk = (block: Instr[]): void => {
    for (const ins of block) {
      if (ins.kind === 'fence' && (ins.annot === 'sync-rcu' || ins.annot === 'sync-srcu'))
        gracePeriods = true;
      if (ins.kind === 'store') walkExpr(ins.value);
      if (ins.kind === 'assign') walkExpr(ins.value);
      if (ins.kind === 'rmw') {
        walkExpr(ins.operand);
        walkExpr(ins.compare);
      }
      if (ins.kind === 'branch') {
        walkExpr(ins.cond);
        walk(ins.then);
        walk(ins.else);
      }
    }
  };
  for (const t of test.threads) {
    for (const v of t.registerInit.values()) addValue(v);
    walk(t.body);
  }
  return { aliased, gracePeriods };
}

/** Up to `max` distinct bodies for `thread`: program order first, then seeded reorderings. */
export function threadOrders(
  test: Test,
  thread: Thread,
  seed: number,
  max = MAX_ORDERS,
): Instr[][] {
  const facts = testFacts(test);
  const body = withDependencyFences(placeAtomicFences(thread.body));
  const plan = planBlock(body, facts);
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, (seed * 31 + thread.id) >>> 0);
  const next = () => prandom_u32_state(rnd);
  const orders: Instr[][] = [body];
  const seen = new Set([programOrderKey(plan)]);
  for (let tries = 0; orders.length < max && tries < max * 4; tries++) {
    const { order, key } = drawOrder(plan, next);
    if (!seen.has(key)) {
      seen.add(key);
      orders.push(order);
    }
  }
  return orders;
}

/**
 * A block ready to be reordered many times: its nodes (an instruction, a fused dependency, or
 * a branch whose arms are blocks of their own) and, per node, the earlier nodes it may not
 * pass. Computed once per thread: a thousand-access thread has half a million pairs.
 */
interface BlockPlan {
  nodes: PlanNode[];
  /** Per node, the nodes after it that may not pass it ("must stay before"). */
  after: number[][];
  /** Per node, how many earlier nodes it may not pass. */
  blockers: Int32Array;
  writes: boolean[];
}

/**
 * A node, with what it is made of as text (its instructions without their places): two orders
 * are the same body when their texts are.
 */
type PlanNode =
  | { kind: 'instrs'; instrs: Instr[]; text: string }
  | {
      kind: 'branch';
      branch: Extract<Instr, { kind: 'branch' }>;
      text: string;
      /** Its then and else arms. */
      arms: [BlockPlan, BlockPlan];
    };

const text = (x: unknown): string => JSON.stringify(x, (k, v) => (k === 'pos' ? undefined : v));

function programOrderKey(plan: BlockPlan): string {
  return plan.nodes
    .map((n) =>
      n.kind === 'instrs'
        ? n.text
        : `${n.text}(${programOrderKey(n.arms[0])}|${programOrderKey(n.arms[1])})`,
    )
    .join(',');
}

function planBlock(block: Instr[], facts: TestFacts): BlockPlan {
  // a dependency fence and its access are one node
  const nodes: PlanNode[] = [];
  const members: Instr[][] = [];
  for (let j = 0; j < block.length; j++) {
    const ins = block[j]!;
    if (isDepFence(ins) && j + 1 < block.length) {
      const pair = [ins, block[++j]!];
      nodes.push({ kind: 'instrs', instrs: pair, text: text(pair) });
      members.push(pair);
    } else if (ins.kind === 'branch') {
      nodes.push({
        kind: 'branch',
        branch: ins,
        text: text(['branch', ins.cond]),
        arms: [planBlock(ins.then, facts), planBlock(ins.else, facts)],
      });
      members.push([ins]);
    } else {
      nodes.push({ kind: 'instrs', instrs: [ins], text: text([ins]) });
      members.push([ins]);
    }
  }
  const infos = members.map((n) => nodeInfo(n, facts));
  const after: number[][] = infos.map(() => []);
  const blockers = new Int32Array(infos.length);
  for (let j = 0; j < infos.length; j++) {
    for (let i = 0; i < j; i++) {
      if (mayPass(infos[j]!, infos[i]!, facts)) continue;
      after[i]!.push(j);
      blockers[j]!++;
    }
  }
  return { nodes, after, blockers, writes: infos.map((b) => b.writes) };
}

/**
 * One random reordering of a planned block: branch arms reordered inside (in block order),
 * then a random topological order of the block's nodes, writes preferred early; the key is
 * the order's text (programOrderKey's, of this order).
 */
function drawOrder(plan: BlockPlan, next: () => number): { order: Instr[]; key: string } {
  const parts: { instrs: Instr[]; key: string }[] = plan.nodes.map((node) => {
    if (node.kind === 'instrs') return { instrs: node.instrs, key: node.text };
    const arms = node.arms.map((arm) => drawOrder(arm, next));
    const key = `${node.text}(${arms[0]!.key}|${arms[1]!.key})`;
    // mapArms rewrites then, then else
    return { instrs: [mapArms(node.branch, () => arms.shift()!.order)], key };
  });
  const waiting = Int32Array.from(plan.blockers);
  // the nodes whose blockers are all placed, in block order
  const ready: number[] = [];
  for (let j = 0; j < waiting.length; j++) if (waiting[j] === 0) ready.push(j);
  const order: Instr[] = [];
  const keys: string[] = [];
  const writes: number[] = [];
  while (ready.length > 0) {
    writes.length = 0;
    for (let r = 0; r < ready.length; r++) if (plan.writes[ready[r]!]) writes.push(r);
    const fromWrites = writes.length > 0 && next() % 4 !== 0;
    const r = fromWrites ? writes[next() % writes.length]! : next() % ready.length;
    const j = ready[r]!;
    ready.splice(r, 1);
    order.push(...parts[j]!.instrs);
    keys.push(parts[j]!.key);
    for (const k of plan.after[j]!) if (--waiting[k]! === 0) insertSorted(ready, k);
  }
  return { order, key: keys.join(',') };
}

function insertSorted(list: number[], v: number): void {
  let at = list.length;
  while (at > 0 && list[at - 1]! > v) at--;
  list.splice(at, 0, v);
}

/** What the ordering rules need of a node (an instruction, a branch, a fused dependency). */
interface NodeInfo {
  reads: Set<string>;
  writesRegs: Set<string>;
  /** Locations accessed; '*' for an access through a register (any aliased location). */
  locs: Set<string>;
  loads: boolean;
  writes: boolean;
  plain: boolean;
  /** Nothing crosses it. */
  wall: boolean;
  /** A lock operation: lock operations keep their order (a swap could deadlock). */
  lockOp: boolean;
  /** Nothing after it goes before it / nothing before it goes after it. */
  acquire: boolean;
  release: boolean;
  /** Keeps loads / stores / plain accesses on their side. */
  fenceLoads: boolean;
  fenceStores: boolean;
  fencePlain: boolean;
}

function emptyInfo(): NodeInfo {
  return {
    reads: new Set(),
    writesRegs: new Set(),
    locs: new Set(),
    loads: false,
    writes: false,
    plain: false,
    wall: false,
    lockOp: false,
    acquire: false,
    release: false,
    fenceLoads: false,
    fenceStores: false,
    fencePlain: false,
  };
}

function nodeInfo(node: Instr[], facts: TestFacts): NodeInfo {
  const info = emptyInfo();
  // a dependency fence orders its access after the load of the address (a register
  // dependency already): other loads may pass the pair
  for (const ins of node) if (!isDepFence(ins)) addInstr(info, ins, facts);
  return info;
}

function addAddr(info: NodeInfo, ins: Instr): void {
  if (!('addr' in ins) || !ins.addr) return;
  if (ins.addr.kind === 'loc') info.locs.add(ins.addr.loc);
  else {
    info.locs.add('*');
    info.reads.add(ins.addr.reg);
  }
}

function addInstr(info: NodeInfo, ins: Instr, facts: TestFacts): void {
  switch (ins.kind) {
    case 'load':
      addAddr(info, ins);
      info.writesRegs.add(ins.dst);
      info.loads = true;
      info.plain ||= ins.annot === 'plain';
      info.acquire ||= ins.annot === 'acquire';
      // srcu_read_lock(): a section's start, as rcu_read_lock() below
      if (ins.annot === 'srcu-lock') sectionStart(info, facts);
      return;
    case 'store':
      addAddr(info, ins);
      exprRegs(ins.value, info.reads);
      info.writes = true;
      info.plain ||= ins.annot === 'plain';
      info.release ||= ins.annot === 'release';
      if (ins.annot === 'srcu-unlock') sectionEnd(info, facts);
      return;
    case 'rmw':
      addAddr(info, ins);
      exprRegs(ins.operand, info.reads);
      if (ins.compare) exprRegs(ins.compare, info.reads);
      if (ins.dst !== undefined) info.writesRegs.add(ins.dst);
      info.loads = true;
      info.writes = true;
      info.wall ||= ins.annot === 'mb';
      info.acquire ||= ins.annot === 'acquire';
      info.release ||= ins.annot === 'release';
      return;
    case 'assign':
      info.writesRegs.add(ins.dst);
      exprRegs(ins.value, info.reads);
      return;
    case 'branch':
      exprRegs(ins.cond, info.reads);
      for (const i of [...ins.then, ...ins.else]) addInstr(info, i, facts);
      return;
    case 'fence':
      addFence(info, ins, facts);
      return;
    default:
      // spin_lock(), spin_trylock(): acquire rmws; spin_unlock(): a release store;
      // spin_is_locked(): a read
      addAddr(info, ins);
      if ('dst' in ins && ins.dst !== undefined) info.writesRegs.add(ins.dst);
      info.lockOp = true;
      info.loads ||= ins.kind !== 'unlock';
      info.writes ||= ins.kind !== 'islocked';
      info.acquire ||= ins.kind === 'lock' || ins.kind === 'trylock';
      info.release ||= ins.kind === 'unlock';
  }
}

function addFence(info: NodeInfo, ins: Extract<Instr, { kind: 'fence' }>, facts: TestFacts): void {
  if (ins.addr?.kind === 'reg') info.reads.add(ins.addr.reg);
  switch (ins.annot) {
    case 'rmb':
      info.fenceLoads = true;
      return;
    case 'wmb':
      info.fenceStores = true;
      return;
    case 'barrier':
      info.fencePlain = true;
      return;
    case 'rcu-lock':
      sectionStart(info, facts);
      return;
    case 'rcu-unlock':
      sectionEnd(info, facts);
      return;
    default:
      info.wall = true;
  }
}

/** rcu_read_lock(), srcu_read_lock(): barrier() for plain accesses; with grace periods, an acquire. */
function sectionStart(info: NodeInfo, facts: TestFacts): void {
  info.fencePlain = true;
  info.acquire ||= facts.gracePeriods;
}

/** rcu_read_unlock(), srcu_read_unlock(): barrier() for plain accesses; with grace periods, a release. */
function sectionEnd(info: NodeInfo, facts: TestFacts): void {
  info.fencePlain = true;
  info.release ||= facts.gracePeriods;
}

/** May node b, after node a in program order, be performed before it? (see the header) */
function mayPass(b: NodeInfo, a: NodeInfo, facts: TestFacts): boolean {
  if (a.wall || b.wall || a.acquire || b.release || (a.lockOp && b.lockOp)) return false;
  for (const r of b.reads) if (a.writesRegs.has(r)) return false;
  for (const r of b.writesRegs) if (a.reads.has(r) || a.writesRegs.has(r)) return false;
  if (sameLocation(a.locs, b.locs, facts)) return false;
  if ((a.fenceLoads && b.loads) || (b.fenceLoads && a.loads)) return false;
  if ((a.fenceStores && b.writes) || (b.fenceStores && a.writes)) return false;
  if ((a.fencePlain && b.plain) || (b.fencePlain && a.plain)) return false;
  return true;
}

function sameLocation(a: Set<string>, b: Set<string>, facts: TestFacts): boolean {
  for (const x of a) {
    if (b.has(x)) return true;
    if (x === '*' && [...b].some((y) => facts.aliased.has(y))) return true;
  }
  for (const y of b) if (y === '*' && [...a].some((x) => facts.aliased.has(x))) return true;
  return false;
}

function exprRegs(e: Expr, into: Set<string>): Set<string> {
  if (e.kind === 'reg') into.add(e.reg);
  else if (e.kind === 'unary') exprRegs(e.arg, into);
  else if (e.kind === 'binary') {
    exprRegs(e.left, into);
    exprRegs(e.right, into);
  }
  return into;
}
