// A thread's progress note in the control buffer of a program scenario: the thread rewrites it
// (cpu.progress), the main thread's watchdog reads it; a seqcount keeps the reader from taking a
// half-written note. Where the note lives is src/runtime/layout.ts's.

import { NOTE, NOTE_CHARS, NOTE_LENGTH, NOTE_SEQ, threadBlock } from '../layout.ts';

/** How often readNote() retries a note being rewritten before it takes what it read. */
const NOTE_READ_TRIES = 1000;

/** Thread t's side: replace its progress note (seqcount write side). */
export function writeNote(control: Int32Array, t: number, note: string): void {
  const at = threadBlock(t);
  const seq = Atomics.load(control, at + NOTE_SEQ);
  Atomics.store(control, at + NOTE_SEQ, seq + 1);
  const n = Math.min(NOTE_CHARS, note.length);
  for (let c = 0; c < n; c++) control[at + NOTE + c] = note.charCodeAt(c);
  Atomics.store(control, at + NOTE_LENGTH, n);
  Atomics.store(control, at + NOTE_SEQ, seq + 2);
}

/**
 * The last progress note of thread t, as the main thread reads it (seqcount read side: retry
 * while the thread is rewriting it). A thread terminated mid-write leaves the count odd; after
 * NOTE_READ_TRIES the note is returned as read, marked.
 */
export function readNote(control: Int32Array, t: number): string {
  const at = threadBlock(t);
  let s = '';
  for (let tries = 0; tries < NOTE_READ_TRIES; tries++) {
    const seq = Atomics.load(control, at + NOTE_SEQ);
    const n = Math.min(NOTE_CHARS, Atomics.load(control, at + NOTE_LENGTH));
    s = '';
    for (let c = 0; c < n; c++) s += String.fromCharCode(Atomics.load(control, at + NOTE + c));
    if ((seq & 1) === 0 && Atomics.load(control, at + NOTE_SEQ) === seq) return s;
  }
  return `${s} (torn: its thread stopped while writing it)`;
}
