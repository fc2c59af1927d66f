// A promise that rejects with nobody waiting for it (a browser driver's call on a page that went
// away as the run stopped): after a signal, the CLI says it in one line and goes on to print
// what the run collected, with the signal's exit status; before a signal it is a bug, and ends
// the process with its stack as Node does.

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A process that installs the CLI's signal handling, maybe gets SIGINT, then drops a rejection. */
function dropRejection(signal: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `
    import { abortOnInterrupt } from './src/cli/interrupt.ts';
    const interrupt = abortOnInterrupt();
    if (${signal}) {
      process.kill(process.pid, 'SIGINT');
      // The signal comes through the event loop: keep it turning until it has.
      while (!interrupt.signal.aborted) await new Promise((r) => setTimeout(r, 10));
    }
    void Promise.reject(new Error('no such frame\\n    at BidiFrameRealm.evaluateHandle'));
    await new Promise((r) => setImmediate(r));
    console.log('the partial result');
    process.exitCode = interrupt.exitStatus() ?? 0;
  `;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

test('after a signal: one line, no stack, the result printed, exit 130', async (t) => {
  t.timeout(120_000);
  const { code, stdout, stderr } = await dropRejection(true);
  t.is(code, 130);
  t.is(stdout, 'the partial result\n');
  t.regex(stderr, /^\(after the stop, a call nobody waited for failed: Error: no such frame\)$/m);
  t.notRegex(stderr, /^\s+at /m);
});

test('before a signal: our bug, with its stack', async (t) => {
  t.timeout(120_000);
  const { code, stdout, stderr } = await dropRejection(false);
  t.is(code, 1);
  t.is(stdout, '');
  t.regex(stderr, /Error: no such frame/);
  t.regex(stderr, /^\s+at /m);
});
