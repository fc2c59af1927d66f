// node:os in the browser bundle (esbuild alias, src/engines/browser/bundle.ts): what the shared runtime
// asks of the machine, answered by what a page can know. The server and the headless driver
// replace the unknowns with the truth where they know it (src/engines/browser/page-host.ts).

export default {
  availableParallelism: (): number => navigator.hardwareConcurrency,
  cpus: (): { model: string }[] => [{ model: 'unknown (browser)' }],
  arch: (): string => 'unknown (browser)',
  type: (): string => 'browser',
  release: (): string => navigator.userAgent,
  // navigator.deviceMemory (Chromium: GiB, rounded, at most 8) where there is one, else 4 GiB:
  // the hw runner refuses a run that needs more than a quarter of it.
  totalmem: (): number => ((navigator as { deviceMemory?: number }).deviceMemory ?? 4) * 1024 ** 3,
};
