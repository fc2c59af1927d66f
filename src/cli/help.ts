// `smplab help`: the usage lines of every command, then every flag once, under the commands
// that take it — all read from the schema (schema.ts) and the flag table (flags.ts) that
// parse.ts checks argv against, so the text cannot promise a flag a command refuses.

import { ANNOTS, EDGE_WORDS } from '../gen/edges.ts';
import { FAMILY_NAMES } from '../gen/families.ts';
import { FLAGS, type FlagName } from './flags.ts';
import { COMMAND_NAMES, COMMANDS, type CommandSchema } from './schema.ts';

/** Where the help column of a flag starts. */
const COLUMN = 22;
/** The width of a usage line's synopsis. */
const USAGE_COLUMN = 35;

/** Said under gen's options: what its words are. */
const GEN_NOTES = [
  `patterns: ${FAMILY_NAMES.join(' ')}`,
  "          or diy7's key of a family: each thread's first and last access (WW+RR+WW+RR)",
  `edges: ${EDGE_WORDS.join(' ')}`,
  `       (each optionally with two annotations of ${ANNOTS.join(', ')}: PodWWOnceRelease;`,
  '       Wse and Wsi are Coe and Coi)',
  'tests are named and written as diy7 7.58 writes them (metadata lines, {}, [x]=2, addr as',
  "*(x + (r0 & 128)), ctrl as if (r0 == 1) { ... }) and load in herd7 unchanged; diy7 7.58's",
  "refusals are refused with its reason. (The older diy7 tests of the kernel's archive write",
  'ctrl as r1 = (r0 != 0), which herd7 does not count as a control dependency.)',
  'Tests get a Result: line from the lkmm model; see README "Generating tests".',
];

const FOOTER = `Each run writes results/<name>/<timestamp>.json (SMPLAB_RESULTS_DIR=DIR: there instead).
Ctrl-C stops a run and prints what was collected, marked partial (exit status 130).
In a checkout of smplab: npm run scenario -- <name> [options] is smplab run; npm run lab --
<args> is smplab.`;

export function helpText(): string {
  const usage = COMMAND_NAMES.flatMap((c) =>
    (COMMANDS[c] as CommandSchema).usage.map(
      ([synopsis, summary]) => `  ${synopsis.padEnd(USAGE_COLUMN)}  ${summary}`,
    ),
  );
  const sections = optionSections().map(({ commands, lines }) => {
    const notes = commands.length === 1 && commands[0] === 'gen' ? GEN_NOTES : [];
    return [`Options of ${andList(commands)}:`, ...lines, ...notes.map((n) => `  ${n}`)].join('\n');
  });
  return [
    'smplab — SMP concurrency and memory ordering on Node.js worker threads',
    ['Usage:', ...usage].join('\n'),
    ...sections,
    FOOTER,
  ].join('\n\n');
}

/**
 * Each flag's help once, under the commands that take it with that meaning: flags taken by the
 * same commands form one section, in the order the flag table lists them.
 */
function optionSections(): { commands: string[]; lines: string[] }[] {
  const takers = new Map<string, { flag: FlagName; text: string; commands: string[] }>();
  for (const command of COMMAND_NAMES) {
    const schema: CommandSchema = COMMANDS[command];
    const taken = new Set(schema.targets.flatMap((t) => t.takes));
    for (const flag of Object.keys(FLAGS) as FlagName[]) {
      if (!taken.has(flag)) continue;
      const own = schema.help?.[flag];
      const key = own === undefined ? flag : `${flag} ${command}`;
      const entry = takers.get(key) ?? { flag, text: own ?? FLAGS[flag].help, commands: [] };
      entry.commands.push(command);
      takers.set(key, entry);
    }
  }
  const sections = new Map<string, { commands: string[]; lines: string[] }>();
  for (const { flag, text, commands } of takers.values()) {
    const key = commands.join(' ');
    const section = sections.get(key) ?? { commands, lines: [] };
    section.lines.push(flagLines(flag, text));
    sections.set(key, section);
  }
  return [...sections.values()];
}

function flagLines(flag: FlagName, text: string): string {
  const f: { value?: string; short?: string } = FLAGS[flag];
  const name = `${f.short ? `-${f.short}, ` : ''}--${flag}${f.value ? ` ${f.value}` : ''}`;
  const [first = '', ...rest] = text.split('\n');
  const head =
    name.length + 2 < COLUMN
      ? `  ${name.padEnd(COLUMN - 2)}${first}`
      : `  ${name}\n${' '.repeat(COLUMN)}${first}`;
  return [head, ...rest.map((l) => `${' '.repeat(COLUMN)}${l}`)].join('\n');
}

const andList = (words: string[]): string =>
  words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
