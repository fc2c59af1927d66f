// The command schema: every flag belongs to some command, and `smplab help` shows every flag
// under exactly the commands that take it (help is made from the schema that parse.ts checks).

import test from 'ava';
import { FLAG_NAMES } from '../../src/cli/flags.ts';
import { helpText } from '../../src/cli/help.ts';
import { COMMAND_NAMES, COMMANDS, type CommandSchema } from '../../src/cli/schema.ts';

const takers = (flag: string): string[] =>
  COMMAND_NAMES.filter((c) =>
    (COMMANDS[c] as CommandSchema).targets.some((t) => (t.takes as string[]).includes(flag)),
  );

test('every flag is taken by some command', (t) => {
  for (const flag of FLAG_NAMES) t.true(takers(flag).length > 0, flag);
});

test('help lists each flag under the commands that take it', (t) => {
  const sections = helpText()
    .split('\n\n')
    .filter((s) => s.startsWith('Options of '));
  for (const flag of FLAG_NAMES) {
    const shownFor = sections
      .filter((s) => new RegExp(`^  (-\\w, )?--${flag}\\b`, 'm').test(s))
      .flatMap((s) =>
        /^Options of (.*):/
          .exec(s)![1]!
          .split(/, | and /)
          .map((c) => c.trim()),
      );
    t.deepEqual(shownFor.sort(), takers(flag).sort(), flag);
  }
});
