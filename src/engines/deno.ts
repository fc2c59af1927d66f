// Deno: V8 behind Deno's own runtime and its Web Workers. From npm (`deno` carries the binary),
// found in the repository's node_modules/.bin first, then on PATH. Engine flags are V8 flags,
// passed with --v8-flags.

import { UserError } from '../errors.ts';
import { npmExecutable } from '../package-root.ts';
import { findExecutable, type ProcessEngine, versionOf } from './engine.ts';

export const deno: ProcessEngine = {
  name: 'deno',
  kind: 'process',
  jsEngine: 'V8',
  install: 'npm install (deno is an optional dependency), or npm install -g deno',
  flagsHelp: 'V8 flags, e.g. --jitless, --no-opt, --max-opt=2',
  locate() {
    const path = findExecutable(['deno'], npmExecutable('deno'));
    const v = path && versionOf(path);
    // `deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)`: the first words say it.
    return path && v ? { path, version: v.split(' (')[0]! } : undefined;
  },
  childCommand(at, flags, runner, request) {
    for (const f of flags)
      if (!f.startsWith('--') || f.includes(','))
        throw new UserError(`deno takes V8 flags such as --jitless, not '${f}'`);
    const v8 = flags.length ? [`--v8-flags=${flags.join(',')}`] : [];
    return {
      command: at.path,
      args: ['run', '--allow-all', '--quiet', '--no-lock', ...v8, runner, request],
      env: { DENO_NO_UPDATE_CHECK: '1' },
    };
  },
};
