// `smplab list`: every litmus test and program scenario with its kind and one line about it,
// then the backends that can run them (from the registry).

import { BACKENDS } from '../backends/registry.ts';
import { formatUserError } from '../errors.ts';
import { catalogue } from '../lab/catalogue.ts';
import { table } from '../report/format.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { LIST } from './schema.ts';

export async function listCommand(line: CommandLine): Promise<number> {
  takeFlags(line, LIST, 'list');
  const entries = await catalogue();
  const rows = entries.map((e) =>
    e.broken
      ? [e.name, `${e.kind} (BROKEN)`, 'cannot be loaded: see below']
      : [e.name, e.kind, e.description],
  );
  console.log(table([['name', 'kind', 'description'], ...rows]));
  console.log('');
  console.log(
    table([['backend', 'what it answers'], ...BACKENDS.map((b) => [b.name, b.description])]),
  );
  const broken = entries.flatMap((e) => (e.broken ? [e.broken] : []));
  for (const e of broken) console.error(`\nBROKEN ${formatUserError(e).split('\n')[0]}`);
  return broken.length > 0 ? 1 : 0;
}
