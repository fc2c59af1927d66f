// Ctrl-C, and SIGTERM (a CI job's timeout) and SIGHUP (a closed terminal) alike: the first one
// asks the run to stop and print what it collected, marked partial; a second one leaves at
// once, for a run that does not stop quickly enough. A stopped run exits 128 + the signal's
// number after printing (130 for SIGINT, 143 for SIGTERM), as shells report it.

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
type SignalName = keyof typeof SIGNALS;

export interface Interrupt {
  signal: AbortSignal;
  /** 128 + the number of the signal that stopped the run; undefined when none came. */
  exitCode: () => number | undefined;
  dispose: () => void;
}

export function abortOnInterrupt(): Interrupt {
  const controller = new AbortController();
  let received: SignalName | undefined;
  const handlers = Object.keys(SIGNALS).map((name) => {
    const sig = name as SignalName;
    const onSignal = () => {
      if (controller.signal.aborted) process.exit(128 + SIGNALS[sig]);
      received = sig;
      process.stderr.write(
        `\nInterrupted (${sig}): stopping, the report will be marked partial (Ctrl-C again to quit now)\n`,
      );
      controller.abort();
    };
    process.on(sig, onSignal);
    return [sig, onSignal] as const;
  });
  return {
    signal: controller.signal,
    exitCode: () => (received ? 128 + SIGNALS[received] : undefined),
    dispose: () => {
      for (const [sig, onSignal] of handlers) process.off(sig, onSignal);
    },
  };
}
