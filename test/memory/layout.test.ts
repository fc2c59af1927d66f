import test, { type ExecutionContext } from 'ava';
import {
  ABORT_CELL,
  BARRIER_GEN,
  CONTROL_CELLS,
  cellOf,
  computeLayout,
  DECISION_CELL,
  FENCE_CELL,
  type Layout,
  type LayoutKnobs,
  LINE_CELLS,
  LINES_LAYOUT,
  LOCATION_ORDERS,
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

const request = (layout: LayoutKnobs, size = 40, variables = 3, width = 1) => ({
  size,
  variables,
  observedRegisters: [2, 1],
  layout,
  width,
});

/** Every cell a run touches: each location's `width` cells, the flags, the outputs. */
function claimAll(t: ExecutionContext, l: Layout, width: number): void {
  const used = new Map<number, string>();
  const claim = (cell: number, what: string) => {
    t.false(used.has(cell), `${what} overlaps ${used.get(cell)}`);
    t.true(cell >= CONTROL_CELLS && cell < l.cells, `${what} at ${cell} is outside the buffer`);
    used.set(cell, what);
  };
  for (let i = 0; i < l.size; i++) {
    for (let v = 0; v < l.variables; v++)
      for (let w = 0; w < width; w++) claim(cellOf(l, i, v) + w, `x${v}+${w}@${i}`);
    claim(l.flagBase + i, `flag@${i}`);
    for (let j = 0; j < 2; j++) claim(outCellOf(l, 0, i, j), `P0.${j}@${i}`);
    claim(outCellOf(l, 1, i, 0), `P1.0@${i}`);
  }
}

test('every pad, stride and order leaves each location its cells, apart from everything else', (t) => {
  for (const width of [1, 2])
    for (const pad of [width, 3, 16, 17])
      for (const stride of [0, width, 5, 16, 48, 64])
        for (const order of LOCATION_ORDERS)
          for (const variables of [1, 2, 3])
            claimAll(
              t,
              computeLayout(request({ pad, stride, order }, 40, variables, width)),
              width,
            );
});

test('a stride too small for an instance makes one array per location, as litmus7 allocates', (t) => {
  const l = computeLayout(request({ pad: 16, stride: 1, order: 'declared' }, 100, 2));
  t.is(cellOf(l, 1, 0) - cellOf(l, 0, 0), 1, 'instances side by side');
  t.is(lineOf(cellOf(l, 0, 1)), lineOf(cellOf(l, 99, 0)) + 2, 'y after x, one line of padding');
  t.is(l.span, cellOf(l, 0, 1) - cellOf(l, 0, 0));
  t.is(l.varStride, 0);
});

test('order reversed puts the last location first', (t) => {
  const l = computeLayout(request({ pad: 16, stride: 0, order: 'reversed' }));
  t.deepEqual(l.offsets, [32, 16, 0]);
  t.is(l.instanceStride, 48);
  t.deepEqual(computeLayout(request(LINES_LAYOUT)).offsets, [0, 16, 32]);
});

test('a pad or stride that cannot hold a spinlock is refused, naming the flag', (t) => {
  t.throws(() => computeLayout(request({ pad: 1, stride: 0, order: 'declared' }, 10, 2, 2)), {
    message: '--pad 1: at least 2 cells (the test has a spinlock: a lock word and a queued count)',
  });
  t.throws(() => computeLayout(request({ pad: 16, stride: 1, order: 'declared' }, 10, 2, 2)), {
    message:
      '--stride 1: 0 (blocks) or at least 2 cells (the test has a spinlock: a lock word and a queued count)',
  });
  t.throws(() => computeLayout(request({ pad: 0, stride: 0, order: 'declared' })), {
    message: '--pad 0: at least 1 cell',
  });
});
