// Bun: JavaScriptCore. From npm (`bun` carries the binary for this platform), found in the
// repository's node_modules/.bin first, then on PATH. Engine flags are JSC options, which Bun
// reads from BUN_JSC_<name> environment variables: `--useJIT=false` → BUN_JSC_useJIT=false.

import { UserError } from '../errors.ts';
import { npmExecutable } from '../package-root.ts';
import { findExecutable, type ProcessEngine, versionOf } from './engine.ts';

const JSC_OPTION = /^--([A-Za-z][A-Za-z0-9]*)(?:=(.+))?$/;

export const bun: ProcessEngine = {
  name: 'bun',
  kind: 'process',
  jsEngine: 'JavaScriptCore',
  install: 'npm install (bun is an optional dependency), or npm install -g bun',
  flagsHelp:
    'JSC options as --name=value, e.g. --useJIT=false, --useDFGJIT=false, --useFTLJIT=false',
  locate() {
    const path = findExecutable(['bun'], npmExecutable('bun'));
    const v = path && versionOf(path);
    return path && v ? { path, version: `bun ${v}` } : undefined;
  },
  childCommand(at, flags, runner, request) {
    const env: Record<string, string> = {};
    for (const f of flags) {
      const m = JSC_OPTION.exec(f);
      if (!m)
        throw new UserError(
          `bun takes JSC options as --name=value (e.g. --useJIT=false), not '${f}'`,
        );
      env[`BUN_JSC_${m[1]}`] = m[2] ?? 'true';
    }
    return { command: at.path, args: [runner, request], env };
  },
};
