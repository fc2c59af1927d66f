// Ctrl-C, SIGTERM (a CI job's timeout, `kill`) and SIGHUP (a closed terminal): the first one asks
// the run to stop and print what it collected, marked partial; a second one leaves at once, for a
// run that does not stop quickly enough. Either way the exit status is 128 + the signal's number
// (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP), as a shell reports a process it stopped.
//
// Once a signal has come, a promise that rejects with nobody waiting for it is said in one line
// and the run goes on to print what it collected (see lateRejection). Before a signal such a
// rejection is our bug, and ends the process with its stack as Node does.

import { cut, escapeControls, MESSAGE_WIDTH } from '../errors.ts';

const SIGNALS = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 } as const;
type Stop = keyof typeof SIGNALS;

export interface Interrupt {
  signal: AbortSignal;
  /** The exit status an interrupted run ends with (undefined: no signal came). */
  exitStatus: () => number | undefined;
  dispose: () => void;
}

export function abortOnInterrupt(): Interrupt {
  const controller = new AbortController();
  let first: Stop | undefined;
  const handlers = (Object.keys(SIGNALS) as Stop[]).map((name) => {
    const onSignal = () => {
      if (controller.signal.aborted) process.exit(SIGNALS[name]);
      first = name;
      const again = name === 'SIGINT' ? 'Ctrl-C' : name;
      process.stderr.write(
        `\n${name === 'SIGINT' ? 'Interrupted' : `${name} received`}: stopping, the report will be marked partial (${again} again to quit now)\n`,
      );
      controller.abort();
    };
    process.on(name, onSignal);
    return [name, onSignal] as const;
  });
  const onRejection = (reason: unknown) => {
    if (!controller.signal.aborted) throw reason;
    process.stderr.write(`${lateRejection(reason)}\n`);
  };
  process.on('unhandledRejection', onRejection);
  return {
    signal: controller.signal,
    exitStatus: () => (first ? SIGNALS[first] : undefined),
    dispose: () => {
      for (const [name, h] of handlers) process.off(name, h);
      // After a signal it stays: the browser's last promises may settle as the process ends.
      if (!controller.signal.aborted) process.off('unhandledRejection', onRejection);
    },
  };
}

/**
 * The line said for a promise that rejected, with nobody waiting for it, after the signal: a
 * browser driver's call on a page that went away as the run stopped (puppeteer leaves some of
 * its own promises unawaited). It is safe to go on: a promise nobody waits for carries nothing
 * the run keeps — the result and every step towards it are awaited, and their failures reach
 * the CLI as errors — and the process is ending. Ending it here instead, with a stack, would
 * lose the partial result; the line keeps the fault visible.
 */
export function lateRejection(reason: unknown): string {
  const what =
    reason instanceof Error
      ? `${reason.name}: ${reason.message.split('\n')[0]}`
      : `${String(reason).split('\n')[0]}`;
  return `(after the stop, a call nobody waited for failed: ${cut(escapeControls(what), MESSAGE_WIDTH)})`;
}
