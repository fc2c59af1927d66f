// `smplab engines`: every engine the lab knows, whether it is installed here (path and
// version) and, when it is not, how to get it.

import { ENGINES } from '../engines/registry.ts';
import { table } from '../report/format.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { ENGINE_LIST } from './schema.ts';

export function enginesCommand(line: CommandLine): number {
  takeFlags(line, ENGINE_LIST, 'engines');
  const rows = [['engine', 'JS engine', 'installed', 'path']];
  const missing: string[] = [];
  for (const e of ENGINES) {
    const at = e.locate();
    rows.push([e.name, e.jsEngine, at?.version ?? 'missing', at?.path ?? '-']);
    if (!at) missing.push(`  ${e.name}: ${e.install}`);
  }
  console.log(table(rows));
  if (missing.length) console.log(['', 'To install what is missing:', ...missing].join('\n'));
  console.log(
    ['', '--engine-flags, per engine:', ...ENGINES.map((e) => `  ${e.name}: ${e.flagsHelp}`)].join(
      '\n',
    ),
  );
  console.log(
    '\n--engine NAME runs hw there; --engine all runs every installed engine, one row each.',
  );
  return 0;
}
