// The cartesian product, for the choices that multiply (a cat model's `with ... from` choices).

/** The cartesian product of lists, as tuples. */
export function* product<T>(lists: T[][]): Generator<T[]> {
  const idx = lists.map(() => 0);
  if (lists.some((l) => l.length === 0)) return;
  for (;;) {
    yield lists.map((l, i) => l[idx[i]!]!);
    let k = lists.length - 1;
    while (k >= 0 && ++idx[k]! === lists[k]!.length) idx[k--] = 0;
    if (k < 0) return;
  }
}
