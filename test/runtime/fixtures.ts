// Hand-built IR tests for the hw backend's and the compiler's tests: no parser between the test and the IR.

import type {
  AccessAnnot,
  Addr,
  Expr,
  Instr,
  Prop,
  StateKey,
  Test,
  Thread,
} from '../../src/litmus/ir.ts';

const pos = { line: 1, col: 1 };
export const loc = (name: string): Addr => ({ kind: 'loc', loc: name });
export const val = (value: number): Expr => ({ kind: 'const', value });
export const load = (dst: string, addr: Addr, annot: AccessAnnot = 'once'): Instr => ({
  kind: 'load',
  annot,
  addr,
  dst,
  pos,
});
export const store = (addr: Addr, v: number, annot: AccessAnnot = 'once'): Instr => ({
  kind: 'store',
  annot,
  addr,
  value: val(v),
  pos,
});
const mb = (): Instr => ({ kind: 'fence', annot: 'mb', pos });
export const regKey = (thread: number, reg: string): StateKey => ({ kind: 'reg', thread, reg });
export const eq = (key: StateKey, value: number): Prop => ({ kind: 'eq', key, value });
export const and = (...ps: Prop[]): Prop =>
  ps.reduce((left, right) => ({ kind: 'and', left, right }));

export function thread(id: number, params: string[], regs: string[], body: Instr[]): Thread {
  return {
    id,
    params,
    registers: regs.map((name) => ({ name, type: 'int' })),
    registerInit: new Map(),
    body,
  };
}

export function makeTest(name: string, locs: string[], threads: Thread[], exists: Prop): Test {
  return {
    name,
    file: `${name}.litmus`,
    locations: locs.map((l) => ({ name: l, type: 'int', init: 0 })),
    threads,
    condition: { quantifier: 'exists', prop: exists },
    extraKeys: [],
    hash: 'test',
  };
}

/** SB with WRITE_ONCE/READ_ONCE and, optionally, smp_mb() between store and load. */
export function sb(fenced: boolean, x = 'x', y = 'y', r = 'r0'): Test {
  const body = (a: string, b: string) => [
    store(loc(a), 1),
    ...(fenced ? [mb()] : []),
    load(r, loc(b)),
  ];
  return makeTest(
    fenced ? 'SB+fencembonceonces' : 'SB+poonceonces',
    [x, y],
    [thread(0, [x, y], [r], body(x, y)), thread(1, [x, y], [r], body(y, x))],
    and(eq(regKey(0, r), 0), eq(regKey(1, r), 0)),
  );
}
