// A thread's progress note in the control buffer of a program scenario: the thread rewrites it
// (cpu.progress), the main thread's watchdog reads it. Three note slots are handed between the
// two as in a triple buffer: the thread fills the slot it owns, then swaps it for the shared
// one; the watchdog swaps the shared one for its own before reading. Each slot has one owner at
// a time, so a note is never read while it is written, and neither side ever waits: a thread
// descheduled or terminated mid-note leaves the last whole note readable. Where the slots live
// is buffers.ts's; it does not decide when a note is written or read.
//
// (A seqcount was here: its reader cannot wait for a writer that is descheduled inside its
// write section or was terminated there, so after a bounded number of retries it returned the
// bytes it had, a new note over an old length — "odd passs" for "even pass" rewritten.)

import { NOTE_CHARS, NOTE_LENGTH, NOTE_SWAP, NOTE_TEXT, noteSlot, threadBlock } from './buffers.ts';

/** Set in the NOTE_SWAP cell beside the slot number while the slot holds a note not yet read. */
const FRESH = 4;
const SLOT_MASK = 3;

/**
 * One side of thread t's note: its swap cell and the slot it owns now. The swap cell starts 0
 * (slot 0, nothing fresh), so an all-zero block is a valid start: the writer owns slot 1, the
 * reader slot 2.
 */
abstract class NoteSide {
  protected readonly swap: number;
  private readonly block: number;

  constructor(
    protected readonly control: Int32Array,
    t: number,
    protected slot: number,
  ) {
    this.block = threadBlock(t);
    this.swap = this.block + NOTE_SWAP;
  }

  /** The first cell of the slot this side owns. */
  protected owned(): number {
    return this.block + noteSlot(this.slot);
  }
}

/** Thread t's side (one writer per thread block). */
export class NoteWriter extends NoteSide {
  constructor(control: Int32Array, t: number) {
    super(control, t, 1);
  }

  /** Replace the thread's note: fill the slot it owns, then hand it over. */
  write(note: string): void {
    this.fill(note);
    this.publish();
  }

  /** Write the note into the slot this thread owns; nobody reads that slot. */
  fill(note: string): void {
    const s = this.owned();
    const n = Math.min(NOTE_CHARS, note.length);
    for (let c = 0; c < n; c++) this.control[s + NOTE_TEXT + c] = note.charCodeAt(c);
    this.control[s + NOTE_LENGTH] = n;
  }

  /**
   * Swap the filled slot for the shared one, marked fresh. Atomics.exchange is a full fence
   * (LOCK XCHG): the length and characters written by fill() are visible before the slot number
   * is, so the reader that swaps this slot out never decodes a note still being written, and it
   * is the only way the slot leaves this thread.
   */
  publish(): void {
    this.slot = Atomics.exchange(this.control, this.swap, this.slot | FRESH) & SLOT_MASK;
  }
}

/** The main thread's side (one reader per thread block): the last note thread t published. */
export class NoteReader extends NoteSide {
  constructor(control: Int32Array, t: number) {
    super(control, t, 2);
  }

  read(): string {
    this.take();
    return this.decode();
  }

  /**
   * Take the slot the thread published last, if it is fresh. Atomics.exchange is a full fence
   * (LOCK XCHG): what the thread wrote into the slot before its publish() is visible to decode(),
   * and the slot given back (this reader's old one) was decoded to the end before the thread
   * can take it and write over it.
   */
  take(): void {
    if (Atomics.load(this.control, this.swap) & FRESH)
      this.slot = Atomics.exchange(this.control, this.swap, this.slot) & SLOT_MASK;
  }

  /** The note in the slot this reader owns; no thread writes that slot. */
  decode(): string {
    const s = this.owned();
    const n = Math.min(NOTE_CHARS, this.control[s + NOTE_LENGTH]!);
    let note = '';
    for (let c = 0; c < n; c++) note += String.fromCharCode(this.control[s + NOTE_TEXT + c]!);
    return note;
  }
}
