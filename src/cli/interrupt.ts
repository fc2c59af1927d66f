// Ctrl-C, SIGTERM (a CI job's timeout, `kill`) and SIGHUP (a closed terminal): the first one asks
// the run to stop and print what it collected, marked partial; a second one leaves at once, for a
// run that does not stop quickly enough. Either way the exit status is 128 + the signal's number
// (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP), as a shell reports a process it stopped.

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
  return {
    signal: controller.signal,
    exitStatus: () => (first ? SIGNALS[first] : undefined),
    dispose: () => {
      for (const [name, h] of handlers) process.off(name, h);
    },
  };
}
