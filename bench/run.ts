// `npm run bench [filter]`: run every bench/*.bench.ts (or those whose name contains the filter),
// print each one's summary, and write all figures with the host to results/bench/<timestamp>.json.
//
// A bench file exports `default async function (): Promise<Record<string, unknown>>`: it prints
// its own summary and returns its figures and the options that produced them (STYLE 15).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RESULTS_DIR } from '../src/lab/paths.ts';
import { writeResultFile } from '../src/report/results-file.ts';
import { hostInfo } from '../src/runtime/host.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));

const SUFFIX = '.bench.ts';

type Bench = () => Promise<Record<string, unknown>>;

async function main(filter: string | undefined): Promise<number> {
  const names = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length))
    .filter((n) => filter === undefined || n.includes(filter))
    .sort();
  if (names.length === 0) {
    console.error(
      `no bench matches ${JSON.stringify(filter)}; there are: ${allBenches().join(', ')}`,
    );
    return 2;
  }
  const started = new Date();
  const benches: Record<string, unknown> = {};
  for (const name of names) {
    console.log(`== ${name}`);
    const mod = (await import(pathToFileURL(join(BENCH_DIR, `${name}${SUFFIX}`)).href)) as {
      default: Bench;
    };
    benches[name] = await mod.default();
  }
  const file = writeResultFile(RESULTS_DIR, 'bench', {
    started: started.toISOString(),
    filter: filter ?? null,
    host: hostInfo(),
    benches,
  });
  console.log(`written ${file}`);
  return 0;
}

function allBenches(): string[] {
  return readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(SUFFIX))
    .map((f) => f.slice(0, -SUFFIX.length));
}

process.exitCode = await main(process.argv[2]);
