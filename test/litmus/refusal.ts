// What a user sees when a litmus text is refused: the formatted UserError (`file:line:col:
// message`, the line, the caret), or 'accepted' when it parses. Any other error is thrown.

import { formatUserError, UserError } from '../../src/errors.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';

export function refusal(text: string, file = 'T.litmus'): string {
  try {
    parseLitmus(text, file);
  } catch (err) {
    if (err instanceof UserError) return formatUserError(err);
    throw err;
  }
  return 'accepted';
}
