// Ctrl-C: the first one asks the run to stop and print what it collected, marked partial; a
// second one leaves at once, for a run that does not stop quickly enough.

export function abortOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(
      '\nInterrupted: stopping, the report will be marked partial (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onInterrupt) };
}
