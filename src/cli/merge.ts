// `smplab merge <dir>... -o <out>`: several machines' and engines' result folders as one
// (lab/merge.ts says which runs are kept); prints what was skipped and what was merged.

import { mergeFolders } from '../lab/merge.ts';
import { displayPath } from '../lab/resolve.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { MERGE } from './schema.ts';

export async function mergeCommand(line: CommandLine): Promise<number> {
  const flags = takeFlags(line, MERGE, 'merge');
  const merged = await mergeFolders(line.args, flags.out);
  for (const s of merged.skipped) console.log(`skipped ${s.path}: ${s.reason}`);
  console.log(
    `${merged.copied} runs merged into ${displayPath(merged.out)} from ${line.args.length} folders, ${merged.duplicates} duplicates left out`,
  );
  return 0;
}
