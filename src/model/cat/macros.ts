// The annotation herd7 gives each event, as a .def file (linux-kernel.def) says it: each macro
// is herd7 primitives with a tag in braces (`READ_ONCE(X) __load{ONCE}(X)`,
// `smp_mb() { __fence{MB}; }`, `xchg(X,V) __xchg{MB}(X,V)`), or another macro of the file.
//
// smplab's front end (src/litmus/macros.ts) fixes what each macro does — its instruction, its
// arguments — and lowers it with an annotation of its own; a .def may change the tag the model
// sees for it, not what it does. So `--macros FILE` gives the model the file's tag for each
// kind of instruction (a load with annotation once, an xchg with annotation mb, ...), and a
// file that asks for more — a macro made a store where the front end reads a load, two macros
// one instruction is for with two tags — is refused at its line.

import { UserError } from '../../errors.ts';
import type { AccessAnnot, FenceAnnot, Instr } from '../../litmus/ir.ts';
import { MACROS, type MacroRow } from '../../litmus/macros.ts';
import type { Event } from '../core/execution.ts';
import { readText } from './files.ts';

/** herd7's tag of each of our annotations, as the kernel's linux-kernel.def gives them. */
const DEFAULT_TAG: Readonly<Record<AccessAnnot | FenceAnnot, string | undefined>> = {
  plain: undefined,
  once: 'ONCE',
  acquire: 'ACQUIRE',
  release: 'RELEASE',
  mb: 'MB',
  noreturn: 'NORETURN',
  'srcu-lock': 'srcu-lock',
  'srcu-unlock': 'srcu-unlock',
  rmb: 'rmb',
  wmb: 'wmb',
  barrier: 'barrier',
  'before-atomic': 'before-atomic',
  'after-atomic': 'after-atomic',
  'after-spinlock': 'after-spinlock',
  'after-unlock-lock': 'after-unlock-lock',
  'rcu-lock': 'rcu-lock',
  'rcu-unlock': 'rcu-unlock',
  'sync-rcu': 'sync-rcu',
  'sync-srcu': 'sync-srcu',
  'after-srcu-read-unlock': 'after-srcu-read-unlock',
};

/** The tag of an event's kind of instruction, when a .def gives one other than the default. */
export type Tags = ReadonlyMap<string, string>;

/** Which kind of instruction an event comes from, as far as its tag goes: `load:once`, `rmw:xchg:mb`. */
function kindKey(instr: Instr['kind'], annot: string, op?: string): string {
  return instr === 'rmw' ? `rmw:${op}:${annot}` : `${instr}:${annot}`;
}

/** The herd7 annotation of an event: the .def's for its kind of instruction, or the default. */
export function tagOf(e: Event, tags: Tags): string | undefined {
  if (e.thread < 0 || e.lock !== undefined) return undefined;
  const { instr } = e;
  const kind = e.dir === 'F' ? 'fence' : instr.kind;
  const key = kindKey(kind, e.annot, instr.kind === 'rmw' ? instr.op : undefined);
  return tags.get(key) ?? DEFAULT_TAG[e.annot];
}

/** The herd7 primitive each of our instructions is, for checking a .def against the front end. */
const PRIMITIVE: Record<MacroRow['event'], (row: MacroRow) => string[]> = {
  load: () => ['load'],
  store: (row) => ['store', ...('fence' in row && row.fence ? ['fence'] : [])],
  fence: (row) => ('annot' in row && row.annot === 'sync-srcu' ? ['srcu'] : ['fence']),
  rmw: (row) => {
    const op = row.event === 'rmw' ? row.op : '';
    if (op === 'xchg' || op === 'cmpxchg') return [op];
    return [op === 'add_unless' ? 'atomic_add_unless' : 'atomic_op'];
  },
  lock: () => ['lock'],
  unlock: () => ['unlock'],
  trylock: () => ['trylock'],
  islocked: () => ['islocked'],
};

interface DefLine {
  line: number;
  text: string;
  params: string[];
  body: string;
}

/** The tags a .def gives the front end's macros, checked against what each macro does. */
export function readMacros(file: string): Tags {
  const text = readText(file);
  const lines = defLines(text);
  const tags = new Map<string, string>();
  const setBy = new Map<string, string>();
  for (const [name, def] of lines) {
    const row = MACROS[name];
    if (!row) continue; // herd7 knows it, smplab's front end does not: a test using it is refused there
    const fail = (message: string): never => {
      throw new UserError(`${name}: ${message}`, file, { line: def.line, col: 1 }, def.text);
    };
    const prims = primitivesOf(lines, def.body, fail);
    const want = PRIMITIVE[row.event](row);
    const got = prims.map((p) => p.prim.replace(/^atomic_(op_return|fetch_op)$/, 'atomic_op'));
    if (want.join() !== got.join())
      fail(
        `the front end reads it as ${want.join(' then ')}, this file as ${got.join(' then ') || 'nothing'}: a .def may change a macro's annotation, not what it does`,
      );
    prims.forEach(({ tag }, i) => {
      if (tag === undefined) return;
      const instrKind = want[i] === 'fence' || want[i] === 'srcu' ? 'fence' : row.event;
      const annot =
        instrKind === 'fence' && 'fence' in row && row.fence
          ? row.fence
          : 'annot' in row
            ? row.annot
            : '';
      const key = kindKey(instrKind, annot, row.event === 'rmw' ? row.op : undefined);
      const before = tags.get(key);
      if (before !== undefined && before !== tag)
        fail(
          `smplab's front end makes it the same instruction as ${setBy.get(key)}, which this file tags ${before}, not ${tag}`,
        );
      tags.set(key, tag);
      setBy.set(key, name);
    });
  }
  return tags;
}

/** Each macro's line: `name(params) body`, the body without its braces. */
function defLines(text: string): Map<string, DefLine> {
  const out = new Map<string, DefLine>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const m = /^\s*([A-Za-z_]\w*)\(([^)]*)\)\s+(.+?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('//')) return;
    const body = m[3]!.replace(/^\{\s*/, '').replace(/\s*\}$/, '');
    out.set(m[1]!, {
      line: i + 1,
      text: line,
      params: m[2]!.split(',').map((p) => p.trim()),
      body,
    });
  });
  return out;
}

/** The herd7 primitives of a body, with their tags; a call of another macro is followed. */
function primitivesOf(
  lines: Map<string, DefLine>,
  body: string,
  fail: (message: string) => never,
  depth = 0,
): { prim: string; tag?: string }[] {
  if (depth > 8) fail('its macros call each other in a loop');
  const out: { prim: string; tag?: string }[] = [];
  for (const m of body.matchAll(/(__)?([A-Za-z_]\w*)(?:\{([\w-]+)\})?\s*\(/g)) {
    if (m[1]) out.push({ prim: m[2]!, ...(m[3] !== undefined && { tag: m[3] }) });
    else {
      const callee = lines.get(m[2]!);
      if (!callee) fail(`it calls ${m[2]}, which this file does not define`);
      out.push(...primitivesOf(lines, callee!.body, fail, depth + 1));
    }
  }
  for (const m of body.matchAll(/(?<!\w)__(fence|srcu)\{([\w-]+)\}/g))
    if (!out.some((p) => p.prim === m[1])) out.push({ prim: m[1]!, tag: m[2]! });
  return out;
}
