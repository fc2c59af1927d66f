import test from 'ava';
import {
  ABORT_CELL,
  BARRIER_GEN,
  cellOf,
  computeLayout,
  DECISION_CELL,
  FENCE_CELL,
  LINE_CELLS,
  outCellOf,
  PROGRESS_CELL,
  START_BARRIER,
  STARTED_CELL,
  STOP_CELL,
} from '../../src/memory/layout.ts';

const lineOf = (cell: number) => Math.floor(cell / LINE_CELLS);

test('control cells are on distinct lines', (t) => {
  const cells = [
    START_BARRIER,
    BARRIER_GEN,
    ABORT_CELL,
    STOP_CELL,
    DECISION_CELL,
    FENCE_CELL,
    PROGRESS_CELL,
    STARTED_CELL,
  ];
  t.is(new Set(cells.map(lineOf)).size, cells.length);
});

test('by default every variable of every instance has a line of its own', (t) => {
  const l = computeLayout({ size: 50, variables: 3, observedRegisters: [2, 1], packed: false });
  const lines = new Set<number>();
  for (let i = 0; i < 50; i++) for (let v = 0; v < 3; v++) lines.add(lineOf(cellOf(l, i, v)));
  t.is(lines.size, 150);
  t.true(lineOf(cellOf(l, 0, 0)) > lineOf(STARTED_CELL), 'data after control');
});

test('regions do not overlap and fit in the buffer', (t) => {
  const l = computeLayout({ size: 33, variables: 2, observedRegisters: [3, 0, 2], packed: true });
  const used = new Map<number, string>();
  const claim = (cell: number, what: string) => {
    t.false(used.has(cell), `${what} overlaps ${used.get(cell)}`);
    used.set(cell, what);
  };
  for (let i = 0; i < 33; i++) {
    for (let v = 0; v < 2; v++) claim(cellOf(l, i, v), `x${v}@${i}`);
    claim(l.flagBase + i, `flag@${i}`);
    for (const [th, n] of [
      [0, 3],
      [2, 2],
    ] as const)
      for (let j = 0; j < n; j++) claim(outCellOf(l, th, i, j), `P${th}.${j}@${i}`);
  }
  t.true(Math.max(...used.keys()) < l.cells);
  t.is(
    cellOf(l, 0, 1) - cellOf(l, 0, 0),
    2,
    'packed: variables two cells apart (a spinlock is two)',
  );
  t.is(cellOf(l, 1, 0) - cellOf(l, 0, 0), 4, 'packed: instances side by side');
});
