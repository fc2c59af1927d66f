// An engine missing from this machine: outside CI the test says so and passes as skipped in
// spirit (t.pass with a log line naming how to install it); in CI (CI set) it fails, because
// .ci/run installs every engine.

import type { ExecutionContext } from 'ava';
import type { Engine } from '../../src/engines/engine.ts';

export function absentEngine(t: ExecutionContext, engine: Engine): void {
  const message = `${engine.name} is not installed (${engine.install})`;
  if (process.env.CI) t.fail(`${message}; CI installs every engine`);
  else {
    t.log(`SKIPPED: ${message}`);
    t.pass();
  }
}
