// `smplab merge <dir>... -o <out>`: several machines' and engines' result folders as one
// (lab/merge.ts, report/merge-folders.ts: every file copied, a duplicate being the same
// content); prints what was merged, what else was copied, and what could not be (exit 1).

import { mergeFolders } from '../lab/merge.ts';
import { displayPath } from '../lab/resolve.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { MERGE } from './schema.ts';

export async function mergeCommand(line: CommandLine): Promise<number> {
  const flags = takeFlags(line, MERGE, 'merge');
  const s = mergeFolders(line.args, flags.out);
  console.log(
    `${s.records} runs merged into ${displayPath(s.out)} from ${line.args.length} folders, ` +
      `${s.duplicates} duplicates (the same content) left out`,
  );
  if (s.others.length)
    console.log(
      `${s.others.length} other files copied as they are (bench results, notes, files that are not records): ` +
        s.others.slice(0, 5).map(displayPath).join(', ') +
        (s.others.length > 5 ? `, … and ${s.others.length - 5} more` : ''),
    );
  for (const n of s.notCopied) console.log(`not copied: ${displayPath(n.path)}: ${n.reason}`);
  if (s.notCopied.length)
    console.log(`merge incomplete: ${s.notCopied.length} files could not be copied`);
  return s.notCopied.length ? 1 : 0;
}
