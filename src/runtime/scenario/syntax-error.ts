// Where a scenario module that failed to load is wrong, when the mistake is its syntax: neither
// tsx's error (`Transform failed with 1 error: …/mine.ts:13:26: ERROR: …`, naming an .mts file
// .ts) nor Node's SyntaxError for a .js module (no line at all) says it plainly. esbuild (a
// dependency of the package: tsx compiles with it) parses the file alone and names the line and
// column; only after a load failed, so it costs nothing otherwise. A file that parses is not
// the culprit (a module it imports may be): undefined, and the loader's own message stands.

import { readFileSync } from 'node:fs';
import { UserError } from '../../errors.ts';
import { isTypeScript } from '../../own-modules.ts';

export async function syntaxError(file: string): Promise<UserError | undefined> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const { transform } = await import('esbuild');
  try {
    await transform(source, {
      loader: isTypeScript(file) ? 'ts' : 'js',
      format: 'esm',
      sourcefile: file,
      logLevel: 'silent',
    });
    return undefined;
  } catch (e) {
    const first = (e as { errors?: EsbuildMessage[] }).errors?.[0];
    if (!first?.location) return undefined;
    const { line, column, lineText } = first.location;
    return new UserError(first.text, file, { line, col: column + 1 }, lineText);
  }
}

interface EsbuildMessage {
  text: string;
  location: { line: number; column: number; lineText: string } | null;
}
