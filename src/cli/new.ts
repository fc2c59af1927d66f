// `smplab new scenario NAME [-o DIR] [--force]`: a working, commented starting file for a
// program scenario (lab/new-scenario.ts), and how to run it.

import { UserError } from '../errors.ts';
import { writeNewScenario } from '../lab/new-scenario.ts';
import { displayPath } from '../lab/resolve.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { NEW } from './schema.ts';

/** What `smplab new` makes. */
const KINDS = ['scenario'];

export function newCommand(line: CommandLine): number {
  const flags = takeFlags(line, NEW, 'new');
  const [kind, name, ...rest] = line.args;
  if (!kind || !KINDS.includes(kind) || !name || rest.length > 0)
    throw new UserError('new takes: scenario NAME (e.g. smplab new scenario publish-race)');
  const file = writeNewScenario(name, flags.out, flags.force);
  console.log(`${displayPath(file)}: a starting scenario. Run it: smplab run ${displayPath(file)}`);
  return 0;
}
