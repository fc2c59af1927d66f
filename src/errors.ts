// Errors are values with a location until the CLI prints them.
//
// A UserError is the user's mistake (a malformed litmus file, an unknown scenario, a bad flag):
// it is printed as `file:line:col: message`, the offending line and a caret, with no stack
// trace, and the process exits with status 2. Anything else that escapes is our own bug and
// is printed with its stack.

/** A position in a source file, 1-based. */
export interface SourcePos {
  line: number;
  col: number;
}

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly file?: string,
    readonly pos?: SourcePos,
    /** The text of the offending line, shown under the message. */
    readonly sourceLine?: string,
  ) {
    super(message);
  }
}

/** `file:line:col: message`, then the offending line with a caret under the column. */
export function formatUserError(err: UserError): string {
  const where = [err.file, err.pos?.line, err.pos?.col].filter((p) => p !== undefined).join(':');
  const head = where ? `${where}: ${err.message}` : err.message;
  if (err.sourceLine === undefined || err.pos === undefined) return head;
  // Tabs stay tabs under the line, so that the caret lines up however tabs are shown.
  const lead = err.sourceLine.slice(0, err.pos.col - 1).replace(/[^\t]/g, ' ');
  const caret = `${lead.padEnd(err.pos.col - 1)}^`;
  return `${head}\n  ${err.sourceLine}\n  ${caret}`;
}

/** A user's mistake at a place in a file whose whole text we have. */
export function errorAt(message: string, file: string, text: string, pos: SourcePos): UserError {
  const sourceLine = text.split(/\r?\n/)[pos.line - 1] ?? '';
  return new UserError(message, file, pos, sourceLine);
}

/** The closest names to `name` among `candidates`, for "did you mean" hints. */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const scored = candidates
    .map((c) => ({ c, d: editDistance(name.toLowerCase(), c.toLowerCase()) }))
    .filter(
      ({ c, d }) =>
        d <= Math.max(2, Math.floor(c.length / 3)) || c.toLowerCase().includes(name.toLowerCase()),
    )
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, max).map(({ c }) => c);
}

/** ` (did you mean x, y?)` when some candidates are close to `name`, else nothing. */
export function didYouMean(name: string, candidates: readonly string[], max = 3): string {
  const close = closestNames(name, candidates, max);
  return close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}
