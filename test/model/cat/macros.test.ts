// --macros: a .def file's tags are the annotations the model sees (a user who makes smp_rmb()
// a `__fence{wmb}` gets MP's reads unordered), and a .def that changes what a macro does, or
// tags one instruction of the front end two ways, is refused at its line.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { formatUserError, UserError } from '../../../src/errors.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import { resolveSpec } from '../../../src/model/cat/files.ts';
import { readMacros } from '../../../src/model/cat/macros.ts';
import { CatModel } from '../../../src/model/cat/model.ts';
import { checkModel } from '../../../src/model/index.ts';

const BELL = `"tiny bell"
enum Accesses = 'ONCE || 'ACQUIRE
instructions R[Accesses]
instructions W[Accesses]
enum Barriers = 'wmb || 'rmb || 'MB
instructions F[Barriers]
`;

/** MP's order: smp_wmb() between writes, smp_rmb() between reads, and communication. */
const CAT = `"MP order"
include "cos.cat"
let ordered = ([W] ; fencerel(Wmb) ; [W]) | ([R] ; fencerel(Rmb) ; [R])
acyclic ordered | rfe | fre as mp
`;

const DEF = `// the macros MP uses
WRITE_ONCE(X,V) { __store{ONCE}(X,V); }
READ_ONCE(X) __load{ONCE}(X)
smp_wmb() { __fence{wmb}; }
smp_rmb() { __fence{rmb}; }
`;

const MP = parseLitmus(
  `C MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_wmb(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); smp_rmb(); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)`,
  'MP.litmus',
);

function files(def: string): { cat: string; bell: string; macros: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-def-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  return {
    cat: write('mp.cat', CAT),
    bell: write('tiny.bell', BELL),
    macros: write('mp.def', def),
  };
}

const observation = (def: string) =>
  checkModel(MP, new CatModel(resolveSpec(files(def)))).observation;

test("the .def's tags are what the model sees", (t) => {
  t.is(observation(DEF), 'Never');
  // smp_rmb() tagged wmb: the reads are no longer ordered.
  t.is(observation(DEF.replace('__fence{rmb}', '__fence{wmb}')), 'Sometimes');
  // A macro defined through another keeps that one's tag.
  t.is(observation(`${DEF}atomic_read(X) READ_ONCE(*X)\n`), 'Never');
});

const refusal = (def: string): string => {
  try {
    readMacros(files(def).macros);
  } catch (e) {
    if (e instanceof UserError) return formatUserError(e).split('\n')[0]!.replace(/^.*\//, '');
    throw e;
  }
  return 'accepted';
};

test('a .def may retag a macro, not change what it does, nor tag one instruction two ways', (t) => {
  t.is(
    refusal(DEF.replace('READ_ONCE(X) __load{ONCE}(X)', 'READ_ONCE(X) __store{ONCE}(X,1)')),
    "mp.def:3:1: READ_ONCE: the front end reads it as load, this file as store: a .def may change a macro's annotation, not what it does",
  );
  t.is(
    refusal(`${DEF}rcu_dereference(X) __load{ACQUIRE}(X)\n`),
    "mp.def:6:1: rcu_dereference: smplab's front end makes it the same instruction as READ_ONCE, which this file tags ONCE, not ACQUIRE",
  );
  t.is(
    refusal(`${DEF}atomic_read(X) NO_SUCH(*X)\n`),
    'mp.def:6:1: atomic_read: it calls NO_SUCH, which this file does not define',
  );
});
