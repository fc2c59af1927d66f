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

/** The widest a quoted source line is shown, in characters; longer lines show a window. */
export const QUOTE_WIDTH = 120;
/** The longest a message is printed, in characters (a name in it may be megabytes long). */
export const MESSAGE_WIDTH = 400;

/** `file:line:col: message`, then the offending line with a caret under the column. */
export function formatUserError(err: UserError): string {
  const where = [err.file && escapeControls(err.file), err.pos?.line, err.pos?.col]
    .filter((p) => p !== undefined)
    .join(':');
  const message = cut(escapeControls(err.message), MESSAGE_WIDTH);
  const head = where ? `${where}: ${message}` : message;
  if (err.sourceLine === undefined || err.pos === undefined) return head;
  const { text, col } = quoteWindow(err.sourceLine, err.pos.col);
  // Tabs stay tabs under the line, so that the caret lines up however tabs are shown.
  const lead = text.slice(0, col - 1).replace(/[^\t]/g, ' ');
  const caret = `${lead.padEnd(col - 1)}^`;
  return `${head}\n  ${text}\n  ${caret}`;
}

/** `text` cut to `width` characters, with … where it was cut. */
export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** Control characters (tab and newline aside) and other invisible ones as \xNN / \uNNNN. */
export function escapeControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The part of a source line to quote, at most QUOTE_WIDTH characters around the column, with
 * its control characters escaped, and where the column falls in it.
 */
function quoteWindow(line: string, col: number): { text: string; col: number } {
  const half = QUOTE_WIDTH / 2;
  const from =
    line.length > QUOTE_WIDTH
      ? Math.max(0, Math.min(col - 1 - half, line.length - QUOTE_WIDTH))
      : 0;
  const before = (from > 0 ? '…' : '') + escapeControls(line.slice(from, col - 1));
  const rest = line.slice(col - 1, from + QUOTE_WIDTH);
  const after = escapeControls(rest) + (from + QUOTE_WIDTH < line.length ? '…' : '');
  return { text: before + after, col: before.length + 1 };
}

/** A user's mistake at a place in a file whose whole text we have. */
export function errorAt(message: string, file: string, text: string, pos: SourcePos): UserError {
  return new UserError(message, file, pos, lineOf(text, pos.line));
}

/** Line `n` (1-based) of `text`, without splitting the whole text (it may be megabytes). */
function lineOf(text: string, n: number): string {
  let start = 0;
  for (let i = 1; i < n; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  const line = text.slice(start, nl < 0 ? text.length : nl);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
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
