// Progress notes between a thread and the watchdog, driven in one thread so that every
// interleaving is chosen, not hoped for: a read between a writer's fill and its publish (the
// writer descheduled or terminated mid-note) returns the last whole note, and over every
// interleaving of writes and reads each read returns exactly the latest published note.

import test from 'ava';
import { CELL_BYTES } from '../../../src/memory/layout.ts';
import { NOTE_CHARS, threadBlock } from '../../../src/runtime/scenario/buffers.ts';
import { NoteReader, NoteWriter } from '../../../src/runtime/scenario/notes.ts';

/** A zeroed control buffer up to thread t's block, with its two sides of the note, as a run starts. */
function notes(t = 0) {
  const control = new Int32Array(new SharedArrayBuffer(CELL_BYTES * threadBlock(t + 1)));
  return { writer: new NoteWriter(control, t), reader: new NoteReader(control, t) };
}

test('a note is read whole while the next one is half written: the flake "odd passs (torn …)"', (t) => {
  const { writer, reader } = notes();
  t.is(reader.read(), '', 'nothing written yet');
  writer.write('even pass');
  t.is(reader.read(), 'even pass');
  // The thread is descheduled (or terminated) after writing the shorter note's characters and
  // before handing it over: the seqcount's reader gave up here and returned "odd passs".
  writer.fill('odd pass');
  t.is(reader.read(), 'even pass');
  t.is(reader.read(), 'even pass', 'and again: the reader never waits for the writer');
  writer.publish();
  t.is(reader.read(), 'odd pass');
  t.is(reader.read(), 'odd pass', 'a note read once stays readable');
});

test('a note longer than NOTE_CHARS is cut to it', (t) => {
  const { writer, reader } = notes();
  writer.write('x'.repeat(NOTE_CHARS + 5));
  t.is(reader.read(), 'x'.repeat(NOTE_CHARS));
});

/** Every way to merge `a` writer steps with `b` reader steps, as strings of 'w' and 'r'. */
function interleavings(a: number, b: number): string[] {
  if (a === 0 || b === 0) return ['w'.repeat(a) + 'r'.repeat(b)];
  return [
    ...interleavings(a - 1, b).map((s) => `w${s}`),
    ...interleavings(a, b - 1).map((s) => `r${s}`),
  ];
}

test('over every interleaving of 4 notes (fill, publish) with 4 reads (take, decode), each read is the note published last before it took', (t) => {
  // Lengths go up and down, so a new note over an old length, or an old one over a new, shows.
  const texts = ['even pass', 'odd pass', 'a much longer note than both', 'p'];
  const reads = 4;
  const orders = interleavings(2 * texts.length, 2 * reads);
  t.is(orders.length, 12870);
  for (const order of orders) {
    const { writer, reader } = notes(1);
    let published = '';
    let taken = '';
    let w = 0;
    let r = 0;
    for (const op of order) {
      if (op === 'w' && w % 2 === 0) writer.fill(texts[w / 2]!);
      else if (op === 'w') {
        writer.publish();
        published = texts[(w - 1) / 2]!;
      } else if (r % 2 === 0) {
        reader.take();
        taken = published;
      } else {
        // Any writer steps since take() happened during this decode: its slot must not change.
        const seen = reader.decode();
        if (seen !== taken) {
          t.is(seen, taken, `interleaving ${order}, read ${(r + 1) / 2}`);
          return;
        }
      }
      if (op === 'w') w++;
      else r++;
    }
  }
  t.pass();
});
