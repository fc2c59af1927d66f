// Where herd7 cuts a C-litmus file into its sections, by the rules of its splitter (herdtools7
// 7.58, lib/splitter.mll), which reads the file before any C parser does and is stricter
// than smplab's lexer in two places a writer of files must know:
//
// - between the name line and the init block, herd7 skips `(* … *)` only when nothing but a
//   newline or `{` follows the `(*` (a comment such as `(*\n * Result: Never\n *)`): in
//   `(* Result: Sometimes *)` it reads the text as plain words, so a `{` inside such a comment
//   opens the init block there. Metadata lines `Key=value` are read whole, `{` and all;
// - in the threads' code, C's comments are not skipped, a `"` opens a string that must close
//   on its line, and the first whole word `exists`, `forall`, `final`, `locations`, `filter`,
//   `observed`, `Observed` or `cases` ends the code, wherever it stands.
//
// herdSplit says where herd7's init block opens and where its final part starts, so that a
// file smplab writes (gen) can be checked to load in herd7 unchanged. It does not parse
// anything: a file whose sections are where herd7 looks for them may still be bad C.

/** Offsets into the text (0-based) of herd7's `{` opening the init block and its final part. */
export interface HerdSections {
  init: number;
  /** The start of the first keyword that ends the code, or the text's length if none does. */
  final: number;
}

const NAME = /[A-Za-z][A-Za-z0-9_/.-]*/y;
/** The header: architecture, test name, optional (texname), optional "doc" (here or next line). */
const HEADER =
  /[ \t\r]*[A-Za-z0-9_]+[ \t\r]+[A-Za-z0-9_/.+[\]-]+[ \t\r]*(?:\([A-Za-z][A-Za-z0-9_/.-]*\)[ \t\r]*)?(?:\n?[ \t\r]*"[^"]*"[ \t\r]*)?;?/y;
/** A metadata line, read whole by herd7 (its value may hold anything but a line end). */
const INFO_LINE = /[A-Za-z][A-Za-z0-9_/.-]*[ \t\r]*=[ \t\r]*[^\n\r]*\r?\n/y;
const PLAIN = /[^\n{]+/y;
const FINAL_WORDS = new Set([
  'final',
  'forall',
  'exists',
  'cases',
  'observed',
  'Observed',
  'locations',
  'filter',
]);

/** The sections herd7 finds, or a message saying where it would fail. */
export function herdSplit(text: string): HerdSections | { error: string } {
  HEADER.lastIndex = 0;
  if (!HEADER.test(text)) return { error: 'herd7 cannot read the first line' };
  const init = findInit(text, HEADER.lastIndex);
  if (typeof init !== 'number') return init;
  const close = closeInit(text, init + 1);
  if (close === undefined) return { error: 'the init block does not close' };
  const final = findFinal(text, close + 1);
  return typeof final === 'number' ? { init, final } : final;
}

/** herd7's scan from the header to the init block: longest match wins, ties to `(*`. */
function findInit(text: string, from: number): number | { error: string } {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\n') {
      i += 1;
      continue;
    }
    if (text[i] === '{') return i;
    const plain = matchAt(PLAIN, text, i);
    const info = matchAt(INFO_LINE, text, i);
    if (text.startsWith('(*', i) && plain <= 2 && info <= 2) {
      const end = commentEnd(text, i + 2);
      if (end === undefined) return { error: 'a comment before the init block does not close' };
      i = end;
    } else i += Math.max(plain, info);
  }
  return { error: 'herd7 finds no init block' };
}

/** The offset after the `*)` closing a comment whose `(*` ends at `from` (comments nest). */
function commentEnd(text: string, from: number): number | undefined {
  let depth = 1;
  for (let i = from; i < text.length - 1; i++) {
    if (text.startsWith('(*', i)) {
      depth += 1;
      i += 1;
    } else if (text.startsWith('*)', i)) {
      depth -= 1;
      i += 1;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

/** The `}` closing the init block (braces inside it nest). */
function closeInit(text: string, from: number): number | undefined {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return undefined;
}

/** herd7's scan of the C code: strings skipped, comments not, a final word ends it. */
function findFinal(text: string, from: number): number | { error: string } {
  let i = from;
  while (i < text.length) {
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      const line = text.indexOf('\n', i + 1);
      if (end < 0 || (line >= 0 && line < end))
        return { error: `a " in the code opens a string that does not close on its line` };
      i = end + 1;
      continue;
    }
    const word = matchAt(NAME, text, i);
    if (word > 0) {
      if (FINAL_WORDS.has(text.slice(i, i + word))) return i;
      i += word;
    } else if (text[i] === '~' && /^~[ \t\r]*exists/.test(text.slice(i, i + 20))) {
      return i;
    } else i += 1;
  }
  return text.length;
}

/** The length of re's match at offset i (0 if none). */
function matchAt(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  return re.test(text) ? re.lastIndex - i : 0;
}
