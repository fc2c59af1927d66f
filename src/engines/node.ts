// Node.js: the driver itself. Without engine flags a run stays in this process (piscina); with
// V8 flags (`--jitless`, `--no-opt`, `--max-opt=2`) it runs in a child `node <flags>`, because
// V8 flags are process-wide: worker_threads refuse them in execArgv.

import { UserError } from '../errors.ts';
import { nodeLoaderArgs } from '../own-modules.ts';
import type { ProcessEngine } from './engine.ts';

export const node: ProcessEngine = {
  name: 'node',
  kind: 'process',
  jsEngine: 'V8',
  install:
    'Node.js 20 or later from https://nodejs.org or your distribution (it runs smplab itself)',
  flagsHelp: 'V8 flags, e.g. --jitless, --no-opt, --max-opt=2 (node --v8-options lists them)',
  locate: () => ({ path: process.execPath, version: `node ${process.versions.node}` }),
  childCommand(at, flags, runner, request) {
    for (const f of flags)
      if (!f.startsWith('--'))
        throw new UserError(`node takes V8 flags such as --jitless, not '${f}'`);
    return {
      command: at.path,
      args: [...flags, ...nodeLoaderArgs(), runner, request],
      env: {},
    };
  },
};
