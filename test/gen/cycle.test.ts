// Reading cycles and names: what parseCycle and cycleOfName accept, and the exact message for
// each kind of mistake (an unknown edge, directions that do not meet, annotations that
// disagree or do not apply, a cycle that is not a test).

import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { cycleText, parseCycle } from '../../src/gen/cycle.ts';
import { canonical } from '../../src/gen/name.ts';
import { cycleOfName } from '../../src/gen/parse-name.ts';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('no UserError');
}

test('edges are read case-insensitively, with annotations or without', (t) => {
  const c = parseCycle('FencembdWR fre podwr FreAcquireOnce');
  t.is(cycleText(c), 'FenceMbdWROnceOnce FreOnceOnce PodWROnceAcquire FreAcquireOnce');
});

test('Coe and Ws are Wse; DpAddrdR, DpDatadW and DpCtrldW name their target only', (t) => {
  t.is(
    cycleText(parseCycle('PodWW Coe PodWW Ws')),
    'PodWWOnceOnce WseOnceOnce PodWWOnceOnce WseOnceOnce',
  );
  t.is(
    cycleText(parseCycle('DpDatadW Rfe DpCtrldW Rfe')),
    'DpDatadWOnceOnce RfeOnceOnce DpCtrldWOnceOnce RfeOnceOnce',
  );
  t.is(cycleText(parseCycle('PodWW Rfe DpAddrdR Fre')).split(' ')[2], 'DpAddrdROnceOnce');
});

test('an unknown edge lists the supported ones, with the closest first', (t) => {
  t.is(
    message(() => parseCycle('Rfi PodRR Fre')),
    "unknown edge 'Rfi' (did you mean Rfe?); smplab gen supports Rfe Fre Wse PodWW PodWR " +
      'PodRW PodRR FenceMbdWW FenceMbdWR FenceMbdRW FenceMbdRR FenceWmbdWW FenceRmbdRR DpAddrdR ' +
      'DpAddrdW DpDatadW DpCtrldR DpCtrldW (Coe or Ws for Wse), each optionally followed by two ' +
      'annotations (Once, Acquire, Release)',
  );
  t.is(
    message(() => parseCycle('FenceWmbdRR Fre PodWR Fre')),
    "unknown edge 'FenceWmbdRR': FenceWmbd comes as FenceWmbdWW only",
  );
  t.is(
    message(() => parseCycle('PodRR DpDatadR Fre')),
    "unknown edge 'DpDatadR': DpDatad comes as DpDatadW only",
  );
  t.regex(
    message(() => parseCycle('PodXY Fre')),
    /^unknown edge 'PodXY' \(did you mean/,
  );
});

test('a bad annotation suffix says what it should be', (t) => {
  t.is(
    message(() => parseCycle('PodWROnce Fre PodWR Fre')),
    "PodWROnce: 'Once' is not two annotations (each one of Once, Acquire, Release, e.g. OnceAcquire)",
  );
});

test('directions must meet', (t) => {
  t.is(
    message(() => parseCycle('PodWR Rfe PodWR Fre')),
    'edge 1 (PodWR) ends at a read but edge 2 (Rfe) starts from a write',
  );
  t.is(
    message(() => parseCycle('PodWR Fre PodWW Fre')),
    'edge 3 (PodWW) ends at a write but edge 4 (Fre) starts from a read',
  );
});

test('annotations must agree and apply', (t) => {
  t.is(
    message(() => parseCycle('PodWWOnceRelease RfeOnceOnce PodRR Fre')),
    'edge 1 (PodWWOnceRelease) makes its target Release but edge 2 (RfeOnceOnce) makes the same access Once',
  );
  t.is(
    message(() => parseCycle('PodWWOnceAcquire Rfe PodRR Fre')),
    'the access between edge 1 (PodWWOnceAcquire) and edge 2 (Rfe) is a write, which cannot be Acquire',
  );
});

test('a cycle must have two threads, two locations, and no location reached once', (t) => {
  t.is(
    message(() => parseCycle('PodWR PodRW PodWW')),
    'the cycle has no communication edge (Rfe, Fre, Wse): it needs two threads',
  );
  t.is(
    message(() => parseCycle('Rfe Fre')),
    'the cycle has no edge inside a thread (Pod, Fence, Dp): it needs two locations',
  );
  t.is(
    message(() => parseCycle('PodWR PodRW Rfe PodRR Fre')),
    'the access between edge 1 (PodWR) and edge 2 (PodRW) is alone on its location: every ' +
      'location needs a communication edge (Rfe, Fre, Wse)',
  );
  t.is(
    message(() => parseCycle('  ')),
    'empty cycle: give edges such as "Fre PodWR Fre PodWR"',
  );
});

test('a cycle is started at a thread and named by the pattern it fits', (t) => {
  const sb = canonical(parseCycle('Fre PodWR Fre PodWR'));
  t.is(sb.name, 'SB+poonceonces');
  t.is(cycleText(sb.cycle), 'PodWROnceOnce FreOnceOnce PodWROnceOnce FreOnceOnce');
  // The same MP written from its reader: P0 is still the writer.
  const mp = canonical(parseCycle('PodRRAcquireOnce Fre PodWWOnceRelease Rfe'));
  t.is(mp.name, 'MP+pooncerelease+poacquireonce');
  // Symmetric patterns: fences, then dependencies, then po, first.
  t.is(
    canonical(parseCycle('DpCtrldW Rfe FenceMbdRW Rfe')).name,
    'LB+fencembonceonce+ctrlonceonce',
  );
  t.is(
    canonical(parseCycle('PodRWOnceRelease Rfe PodRWAcquireOnce Rfe')).name,
    'LB+poacquireonce+pooncerelease',
  );
  // No pattern: named Cycle, the cycle kept in the order given.
  t.is(canonical(parseCycle('PodWR Fre PodWW Rfe PodRR Fre PodWW Wse')).name, 'Cycle+poonceonces');
});

test('kernel-style names read back to their cycle', (t) => {
  t.is(
    cycleText(cycleOfName('WRC+pooncerelease+fencermbonceonce+Once')),
    'RfeOnceOnce PodRWOnceRelease RfeReleaseOnce FenceRmbdRROnceOnce FreOnceOnce',
  );
  t.is(cycleText(cycleOfName('sb')), 'PodWROnceOnce FreOnceOnce PodWROnceOnce FreOnceOnce');
  t.is(
    message(() => cycleOfName('MP+fencermbonceonce+poonceonce')),
    'MP+fencermbonceonce+poonceonce: fencermb cannot order the PodWW edge of fencermbonceonce',
  );
  t.is(
    message(() => cycleOfName('IRIW+poonceonces')),
    'IRIW+poonceonces: IRIW has 2 thread(s) with several accesses, so 2 descriptor(s) such as ' +
      "poonceonce, then the single accesses' annotations (Once…)",
  );
  t.is(
    message(() => cycleOfName('IRIW+poonceonces+Once')),
    "IRIW+poonceonces+Once: 'Once' should be the annotations of the 2 single-access thread(s), e.g. OnceOnce",
  );
  t.regex(
    message(() => cycleOfName('QQ+poonceonces')),
    /^unknown pattern 'QQ'/,
  );
});
