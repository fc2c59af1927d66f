// The macro table against the kernel's own: each row of macros.ts is checked against its line
// of tools/memory-model/linux-kernel.def (../shared/lkmm/model/linux-kernel.def), read and
// interpreted here independently of macros.ts: the event, the annotation, which argument is
// the address and how it is passed (*X or X), which is the operand, the compare value, and
// what the call returns. Skipped, with the reason, where the file is absent (a user's clone).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { MACROS, type MacroRow } from '../../src/litmus/macros.ts';
import { REPO_ROOT } from './kernel-tests.ts';

const DEF = join(REPO_ROOT, '..', 'shared', 'lkmm', 'model', 'linux-kernel.def');

/** One .def line: `atomic_add(V,X) { __atomic_op{NORETURN}(X,+,V); }`. */
interface DefLine {
  params: string[];
  body: string;
}

function readDef(): Map<string, DefLine> {
  const lines = new Map<string, DefLine>();
  for (const line of readFileSync(DEF, 'utf8').split('\n')) {
    const m = /^(\w+)\(([^)]*)\)\s+(.+)$/.exec(line.trim());
    if (!m || line.startsWith('//')) continue;
    const body = m[3]!
      .replace(/^\{\s*/, '')
      .replace(/\s*\}$/, '')
      .trim();
    lines.set(m[1]!, { params: m[2]!.split(',').filter(Boolean), body });
  }
  return lines;
}

/** A call of another macro of the file (atomic_read(X) READ_ONCE(*X)) replaced by its body. */
function expand(def: Map<string, DefLine>, body: string): string {
  const m = /^(\w+)\(([^)]*)\);?$/.exec(body);
  const callee = m && !m[1]!.startsWith('__') ? def.get(m[1]!) : undefined;
  if (!m || !callee) return body;
  const args = m[2]!.split(',');
  let out = callee.body;
  callee.params.forEach((p, i) => {
    out = out.replace(new RegExp(`\\b${p}\\b`, 'g'), `@${i}`);
  });
  out = out.replace(/@(\d)/g, (_, i) => args[Number(i)]!).replace(/\*\*/g, '');
  return expand(def, out);
}

const ACCESS: Record<string, string> = {
  ONCE: 'once',
  ACQUIRE: 'acquire',
  RELEASE: 'release',
  MB: 'mb',
  NORETURN: 'noreturn',
  // SRCU's annotations are spelt in lower case in the .def, as in the IR.
  'srcu-lock': 'srcu-lock',
  'srcu-unlock': 'srcu-unlock',
};
const OPS: Record<string, string> = { '+': 'add', '-': 'sub' };

/** The row a .def line means, in macros.ts' terms; undefined for what the lab does not model. */
function rowOf(params: string[], body: string): Record<string, unknown> | undefined {
  const kind = (e: string) => (e.startsWith('*') ? 'pointer' : 'lvalue');
  const idx = (e: string) => params.indexOf(e.replace(/^\*/, ''));
  let m = /^__load\{([\w-]+)\}\(([^)]+)\)$/.exec(body);
  if (m)
    return ACCESS[m[1]!] ? { event: 'load', annot: ACCESS[m[1]!], args: [kind(m[2]!)] } : undefined;
  m = /^__store\{([\w-]+)\}\(([^,]+),(\w+)\);(?:\s*__fence\{MB\};)?$/.exec(body);
  if (m) {
    if (!ACCESS[m[1]!]) return undefined;
    const args = params.map((p) => (p === m![3] ? 'value' : kind(m![2]!)));
    const fence = body.includes('__fence{MB}') ? { fence: 'mb' } : {};
    return { event: 'store', annot: ACCESS[m[1]!], args, ...fence };
  }
  m = /^__fence\{([\w-]+)\};$/.exec(body);
  if (m) return { event: 'fence', annot: m[1] === 'MB' ? 'mb' : m[1], args: [] };
  m = /^__srcu\{([\w-]+)\}\((\w+)\);$/.exec(body);
  if (m) return { event: 'fence', annot: m[1], args: ['pointer'] };
  m = /^__(lock|unlock|trylock|islocked)\((\w+)\);?$/.exec(body);
  if (m) return { event: m[1], args: ['pointer'] };
  const args = (addr: string) => params.map((p) => (p === addr ? 'pointer' : 'value'));
  m = /^__xchg\{(\w+)\}\((\w+),(\w+)\)$/.exec(body);
  if (m) {
    const [, a, x, v] = m;
    return {
      event: 'rmw',
      op: 'xchg',
      annot: ACCESS[a!],
      args: args(x!),
      addrArg: idx(x!),
      operandArg: idx(v!),
      result: 'old',
    };
  }
  m = /^__cmpxchg\{(\w+)\}\((\w+),(\w+),(\w+)\)$/.exec(body);
  if (m) {
    const [, a, x, v, w] = m;
    return {
      event: 'rmw',
      op: 'cmpxchg',
      annot: ACCESS[a!],
      args: args(x!),
      addrArg: idx(x!),
      compareArg: idx(v!),
      operandArg: idx(w!),
      result: 'old',
    };
  }
  m = /^__atomic_add_unless\{(\w+)\}\((\w+),(\w+),(\w+)\)$/.exec(body);
  if (m) {
    const [, a, x, v, w] = m;
    return {
      event: 'rmw',
      op: 'add_unless',
      annot: ACCESS[a!],
      args: args(x!),
      addrArg: idx(x!),
      operandArg: idx(v!),
      compareArg: idx(w!),
      result: 'added',
    };
  }
  m =
    /^__atomic_(op|op_return|fetch_op)\{(\w+)\}\((\w+),([^,]+),(\w+)\);?(?:\s*(==\s*0|<\s*0))?$/.exec(
      body,
    );
  if (m) {
    const [, form, a, x, op, v, t] = m;
    if (!OPS[op!]) return undefined;
    const operand = /^\d+$/.test(v!) ? { operand: Number(v) } : { operandArg: idx(v!) };
    const result = form === 'op' ? 'none' : form === 'op_return' ? 'new' : 'old';
    const testOf = t ? { test: t.replace(/\s/g, '') } : {};
    return {
      event: 'rmw',
      op: OPS[op!],
      annot: ACCESS[a!],
      args: args(x!),
      addrArg: idx(x!),
      ...operand,
      result,
      ...testOf,
    };
  }
  return undefined;
}

/** A row without keys set to undefined, for comparison. */
const plain = (r: MacroRow | Record<string, unknown>) => JSON.parse(JSON.stringify(r));

if (!existsSync(DEF)) {
  test.skip(`macros.ts row by row against linux-kernel.def — skipped: ${DEF} is absent (as on a user's clone)`, () => {});
} else {
  const def = readDef();

  test('every row of macros.ts is its line of linux-kernel.def', (t) => {
    t.true(def.size > 100, `${DEF} read as ${def.size} lines`);
    for (const [name, row] of Object.entries(MACROS)) {
      const line = def.get(name);
      if (!line) {
        t.fail(`${name} is not in linux-kernel.def`);
        continue;
      }
      t.deepEqual(plain(row), rowOf(line.params, expand(def, line.body)), name);
    }
  });

  test('the .def lines macros.ts does not have are listed here', (t) => {
    const missing = [...def.keys()].filter((n) => !(n in MACROS));
    // Atomic bitwise operations (and, or, xor, andnot), which the lab does not model yet, and
    // the relaxed/acquire/release add_negative: a known limit.
    t.deepEqual(missing, KNOWN_MISSING);
  });
}

const KNOWN_MISSING: string[] = [
  'atomic_and',
  'atomic_or',
  'atomic_xor',
  'atomic_andnot',
  'atomic_fetch_and',
  'atomic_fetch_and_relaxed',
  'atomic_fetch_and_acquire',
  'atomic_fetch_and_release',
  'atomic_fetch_or',
  'atomic_fetch_or_relaxed',
  'atomic_fetch_or_acquire',
  'atomic_fetch_or_release',
  'atomic_fetch_xor',
  'atomic_fetch_xor_relaxed',
  'atomic_fetch_xor_acquire',
  'atomic_fetch_xor_release',
  'atomic_add_negative_relaxed',
  'atomic_add_negative_acquire',
  'atomic_add_negative_release',
  'atomic_fetch_andnot',
  'atomic_fetch_andnot_acquire',
  'atomic_fetch_andnot_release',
  'atomic_fetch_andnot_relaxed',
];
