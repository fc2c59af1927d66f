// Spinlocks as the kernel's lock.cat models them.
//
// spin_lock() is a lock read LKR and a lock write LKW (an rmw pair, lk-rmw); spin_unlock() a
// UL write; a failed spin_trylock() an LF read; spin_is_locked() an RL read (held) or an RU
// read (free). Coherence on a spinlock orders the LKWs (the initial write first, a lock
// never released last) and puts each UL right after the LKW it releases (critical). An LKR
// reads from the write just before its LKW — the initial write or a UL. LF and RL read from
// an LKW: their own thread's, inside its critical section, or else any other thread's, each
// choice a separate execution; an RU reads from one of: its own thread's last UL, any other
// thread's UL, the initial write. Those choices are why herd7 counts more executions than
// there are final states for spin_is_locked() tests.
//
// This module builds those choices and checks lock.cat's well-formedness axioms (lock-nest,
// unmatched-locks) and its flags (unmatched-unlock, mixed-lock-accesses, lock-final); the
// models see lock events through their R/W/Acquire/Release sets.

import { observedKeys } from '../../litmus/ir.ts';
import type { Event, LocChoice, Skeleton } from '../core/execution.ts';
import { Relation } from '../core/relation.ts';
import { coOrders, locationCoherent } from './coherence.ts';

/** lk-rmw: each LKR with the LKW right after it. */
export function lkRmw(sk: Skeleton): Relation {
  const r = Relation.none(sk.n);
  for (const e of sk.events) {
    const next = sk.events[e.id + 1];
    if (e.lock === 'LKR' && next?.lock === 'LKW' && next.thread === e.thread) r.add(e.id, next.id);
  }
  return r;
}

/** The lock events of one location in one thread, in program order. */
function threadLockEvents(sk: Skeleton, l: number): Map<number, Event[]> {
  const byThread = new Map<number, Event[]>();
  for (const id of sk.byLoc[l]!) {
    const e = sk.events[id]!;
    if (e.thread < 0) continue;
    const list = byThread.get(e.thread) ?? [];
    list.push(e);
    byThread.set(e.thread, list);
  }
  return byThread;
}

/** critical: each LKW with the UL that releases it (no LKW or UL of that lock between). */
export function critical(sk: Skeleton, l: number): Map<number, number> {
  const pairs = new Map<number, number>();
  for (const list of threadLockEvents(sk, l).values()) {
    let open: number | undefined;
    for (const e of list) {
      if (e.lock === 'LKW') open = e.id;
      else if (e.lock === 'UL') {
        if (open !== undefined) pairs.set(open, e.id);
        open = undefined;
      }
    }
  }
  return pairs;
}

/** lock-nest and unmatched-locks: a thread may not take a lock it holds; one lock may stay held. */
export function lockWellFormed(sk: Skeleton): boolean {
  for (let l = 0; l < sk.byLoc.length; l++) {
    if (!sk.spin[l]) continue;
    let unmatched = 0;
    for (const list of threadLockEvents(sk, l).values()) {
      let held = false;
      for (const e of list) {
        if (e.lock === 'LKR' && held) return false; // lock-nest
        if (e.lock === 'LKW') held = true;
        if (e.lock === 'UL') held = false;
      }
      if (held) unmatched++;
    }
    if (unmatched > 1) return false; // unmatched-locks
  }
  return true;
}

/**
 * Every coherent (rf, co) choice of one spinlock location. A spinlock also used as data (herd7
 * flags it mixed-lock-accesses) has its ordinary writes in co among the LKWs, and its ordinary
 * reads read from them or the initial write, by value, never from a lock event; an LKR whose
 * LKW follows an ordinary write in co reads from nothing, as in lock.cat.
 */
export function lockChoices(sk: Skeleton, l: number): LocChoice[] {
  const ids = sk.byLoc[l]!;
  const evs = ids.map((id) => sk.events[id]!);
  const init = sk.init[l]!;
  const releases = critical(sk, l);
  const lkws = evs.filter((e) => e.lock === 'LKW').map((e) => e.id);
  const unmatched = lkws.filter((w) => !releases.has(w));
  const matched = lkws.filter((w) => releases.has(w));
  const data = evs.filter((e) => e.lock === undefined && e.id !== init);
  const dataWrites = data.filter((e) => e.dir === 'W').map((e) => e.id);
  const readChoices = [...lockReadChoices(evs, init), ...dataReadChoices(sk, data, init)];
  // co0: every LKW before an unmatched one (which is never released).
  const lkwFirst = (prefix: number[], w: number) =>
    !unmatched.includes(w) || matched.every((m) => prefix.includes(m));
  const orders =
    dataWrites.length === 0
      ? coOrders(sk, init, matched).map((o) => [...o, ...unmatched])
      : coOrders(sk, init, [...matched, ...unmatched, ...dataWrites], lkwFirst);
  const out: LocChoice[] = [];
  for (const order of orders) {
    const co = [init];
    for (const w of order.slice(1)) {
      co.push(w);
      if (releases.has(w)) co.push(releases.get(w)!);
    }
    // An LKR reads from the write just before its LKW in co, when that is IW or a UL.
    const lkrRf: [number, number][] = [];
    for (let i = 1; i < co.length; i++) {
      const w = sk.events[co[i]!]!;
      const r = sk.events[w.id - 1];
      const before = sk.events[co[i - 1]!]!;
      if (w.lock === 'LKW' && r?.lock === 'LKR' && (before.id === init || before.lock === 'UL'))
        lkrRf.push([before.id, r.id]);
    }
    for (const pick of coherentPicks(evs, readChoices, co, lkrRf)) {
      const rf = [...lkrRf, ...pick.flat()];
      if (locationCoherent(sk, ids, rf, co)) out.push({ rf, co });
    }
  }
  return out;
}

/**
 * The product of the reads' rf choices (in product()'s order), less the picks that a read and
 * a write or another read of its thread already make incoherent with `co` — as a walk that
 * drops a choice as soon as it is made, not after the product (a thread asking
 * spin_is_locked() at every step of a loop has thousands of picks, few coherent). Each pick
 * dropped has one of SC-per-location's cycles (herd's "Herding cats": CoWR, CoRW, CoRR), so
 * locationCoherent, which the survivors still go through, would reject it.
 */
function* coherentPicks(
  evs: Event[],
  readChoices: [number, number][][][],
  co: number[],
  fixed: [number, number][],
): Generator<[number, number][][]> {
  const rank = new Map(co.map((w, i) => [w, i]));
  const byId = new Map(evs.map((e) => [e.id, e]));
  // (a read with two sources, as lock-nest makes one, is left to locationCoherent)
  const sourceRank = (option: [number, number][]) =>
    option.length === 1 ? rank.get(option[0]![0]) : undefined;
  // A read reading write w: where it sits among its thread's writes and fixed-source reads.
  const bounds = (r: Event) => {
    let low = -1;
    let high = Infinity;
    for (const e of evs) {
      if (e.thread !== r.thread || e.id === r.id) continue;
      const at = rank.get(e.id);
      if (e.dir !== 'W' || at === undefined) continue;
      // CoWR: not a write older than its own last one; CoRW: not its own next one or newer
      if (e.poIndex < r.poIndex) low = Math.max(low, at);
      else high = Math.min(high, at);
    }
    for (const [w, f] of fixed) {
      const e = byId.get(f)!;
      const at = rank.get(w);
      if (e.thread !== r.thread || at === undefined) continue;
      // CoRR with an LKR of its thread, whose source co fixes
      if (e.poIndex < r.poIndex) low = Math.max(low, at);
      else high = Math.min(high, at + 1);
    }
    return { low, high };
  };
  const reads = readChoices.map((options) => {
    const r = byId.get(options[0]?.[0]?.[1] ?? -1);
    const b = r ? bounds(r) : { low: -1, high: Infinity };
    return options.filter((option) => {
      const at = sourceRank(option);
      return at === undefined || (at >= b.low && at < b.high);
    });
  });
  const pick: [number, number][][] = [];
  const ranks: (number | undefined)[] = [];
  // CoRR between two chosen reads of one thread.
  const fits = (i: number, at: number | undefined): boolean => {
    const r = byId.get(readChoices[i]![0]![0]![1])!;
    if (at === undefined) return true;
    for (let j = 0; j < i; j++) {
      const q = byId.get(readChoices[j]![0]![0]![1])!;
      const qa = ranks[j];
      if (q.thread !== r.thread || qa === undefined) continue;
      if (q.poIndex < r.poIndex ? qa > at : qa < at) return false;
    }
    return true;
  };
  function* walk(i: number): Generator<[number, number][][]> {
    if (i === reads.length) {
      yield pick.slice();
      return;
    }
    for (const option of reads[i]!) {
      const at = sourceRank(option);
      if (!fits(i, at)) continue;
      pick.push(option);
      ranks.push(at);
      yield* walk(i + 1);
      pick.pop();
      ranks.pop();
    }
  }
  yield* walk(0);
}

/** For each LF, RL and RU: the list of its possible rf edge sets. */
function lockReadChoices(evs: Event[], init: number): [number, number][][][] {
  const choices: [number, number][][][] = [];
  for (const r of evs) {
    if (r.lock !== 'LF' && r.lock !== 'RL' && r.lock !== 'RU') continue;
    const before = evs.filter((e) => e.thread === r.thread && e.poIndex < r.poIndex);
    const external = (pred: (e: Event) => boolean) =>
      evs
        .filter((w) => w.thread !== r.thread && pred(w))
        .map((w): [number, number][] => [[w.id, r.id]]);
    if (r.lock === 'RU') {
      // possible-rf-ru: one edge, from its own thread's last UL, or from another thread's UL,
      // or from the initial write.
      const own = before.filter((e) => e.lock === 'UL').slice(-1);
      const ext = external((w) => w.lock === 'UL' || w.id === init);
      choices.push([...own.map((w): [number, number][] => [[w.id, r.id]]), ...ext]);
    } else {
      // rfi-lf / rfi-rl: own LKWs not yet released; otherwise any other thread's LKW.
      const own = lastBefore(before, 'LKW', 'UL').map((w): [number, number] => [w.id, r.id]);
      choices.push(own.length > 0 ? [own] : external((w) => w.lock === 'LKW'));
    }
  }
  return choices;
}

/** For each ordinary read of a spinlock used as data: an ordinary write or IW of its value. */
function dataReadChoices(sk: Skeleton, data: Event[], init: number): [number, number][][][] {
  const sources = [sk.events[init]!, ...data.filter((e) => e.dir === 'W')];
  return data
    .filter((r) => r.dir === 'R')
    .map((r) => sources.filter((w) => w.value === r.value).map((w) => [[w.id, r.id]]));
}

/** Events of role `want` in `before` with no event of role `reset` after them. */
function lastBefore(before: Event[], want: 'LKW', reset: 'UL'): Event[] {
  const out: Event[] = [];
  for (const e of before) {
    if (e.lock === want) out.push(e);
    else if (e.lock === reset) out.length = 0;
  }
  return out;
}

/**
 * lock.cat's flags: unmatched-unlock (a spin_unlock() that releases no spin_lock() of its
 * thread), mixed-lock-accesses (a spinlock also accessed as data) and lock-final (the final
 * state shows a lock or an srcu_struct, whose value the model does not define).
 */
export function lockFlags(sk: Skeleton): string[] {
  const srcu = (e: Event) => e.srcu !== undefined || e.annot.startsWith('srcu-');
  if (!sk.spin.includes(true) && !sk.events.some(srcu)) return [];
  const flags: string[] = [];
  const released = new Set<number>();
  for (let l = 0; l < sk.byLoc.length; l++) {
    if (sk.spin[l]) for (const ul of critical(sk, l).values()) released.add(ul);
  }
  if (sk.events.some((e) => e.lock === 'UL' && !released.has(e.id))) flags.push('unmatched-unlock');
  // mixed-lock-accesses: [M \ IW \ ALL-LOCKS] ; loc ; [ALL-LOCKS], for spinlocks (SRCU's in lkmm-rcu.ts).
  const dataOnLock = (e: Event) => e.thread >= 0 && e.lock === undefined && sk.spin[e.loc];
  if (sk.events.some((e) => e.loc >= 0 && dataOnLock(e))) flags.push('mixed-lock-accesses');
  const lockLoc = (l: number) =>
    sk.spin[l] || sk.events.some((e) => srcu(e) && (e.srcu ?? e.loc) === l);
  const locs = sk.test.locations.map((l) => l.name);
  if (observedKeys(sk.test).some((k) => k.kind === 'loc' && lockLoc(locs.indexOf(k.loc))))
    flags.push('lock-final');
  return flags;
}
