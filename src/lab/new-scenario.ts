// `new scenario NAME` as a use case: a working, commented starting file for a program scenario
// — two CPUs publishing data behind a flag, with and without the barriers, every field of
// defineScenario() said in a comment — written where asked and never over a file unless
// forced. It imports the kernel API from 'smplab', as a user's file does, except in a
// checkout's scenarios/ folder, where the seed scenarios import the sources. A scenario is
// loaded as an ES module: the file is NAME.ts where the nearest package.json says
// "type": "module", NAME.mts elsewhere (which Node takes as one anywhere).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { PACKAGE_ROOT } from '../package-root.ts';

/** A scenario's name is its file's: lowercase words joined by '-'. */
const NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

export function writeNewScenario(name: string, dir = '.', force = false): string {
  if (!NAME.test(name))
    throw new UserError(
      `a scenario name is lowercase words joined by '-' (its file is NAME.ts), not '${name}'`,
    );
  const folder = resolve(dir);
  const file = join(folder, `${name}${moduleFolder(folder) ? '.ts' : '.mts'}`);
  if (existsSync(file) && !force)
    throw new UserError('exists already: nothing written (--force overwrites it)', file);
  const seeds = resolve(PACKAGE_ROOT, 'scenarios');
  const kernel = folder === seeds ? '../src/kernel/index.ts' : 'smplab';
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, scenarioTemplate(name, kernel));
  } catch (e) {
    throw new UserError(`cannot write: ${(e as Error).message}`, file);
  }
  return file;
}

/** Whether .ts files in `folder` are ES modules: the nearest package.json says "type": "module". */
function moduleFolder(folder: string): boolean {
  for (let dir = folder; ; dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type === 'module';
    } catch {
      // none here (or not JSON): the next folder up
    }
    if (dirname(dir) === dir) return false;
  }
}

export function scenarioTemplate(name: string, kernel: string): string {
  return `// ${name}: <the claim this scenario shows, in one sentence>.
//
// A program scenario, as a jcstress sample: this comment states the claim and, once run, a
// dated result table (smplab run on this file). Thread bodies use the kernel API only (its
// names are the kernel's: READ_ONCE, smp_wmb, spin_lock, ...). This starting file races two
// CPUs: one publishes data then a flag, the other reads the flag then the data.

import { defineScenario, READ_ONCE, smp_rmb, smp_wmb, WRITE_ONCE } from '${kernel}';

export default defineScenario({
  // The scenario's name (its file's name) and one line saying what it shows.
  name: '${name}',
  description: 'publish data then a flag: is the data there when the flag is?',
  // 'iterations': many fresh copies of the memory raced, each race named by arbiter().
  // 'long-running': one memory for the whole run; threads loop while (!kthread_should_stop()).
  kind: 'iterations',
  // The shared memory: name -> 'int' | 'u64' | 'atomic_t' | 'spinlock_t' | 'rwlock_t' | ...
  memory: { data: 'int', flag: 'int' },
  // What differs between runs, in words; every variant runs, side by side in the table.
  variants: {
    once: 'WRITE_ONCE/READ_ONCE, no barrier',
    'wmb-rmb': 'smp_wmb() between the stores, smp_rmb() between the loads',
  },
  // One worker (a CPU) per thread. A body may return a number or a few numbers for arbiter().
  threads: {
    writer(_cpu, m, variant) {
      WRITE_ONCE(m.data, 42);
      if (variant === 'wmb-rmb') smp_wmb();
      WRITE_ONCE(m.flag, 1);
    },
    reader(cpu, m, variant) {
      const flag = READ_ONCE(m.flag);
      if (variant === 'wmb-rmb') smp_rmb();
      const data = READ_ONCE(m.data);
      if (flag === 1) cpu.count('flags seen');
      return [flag, data];
    },
  },
  // The outcome of one race, from what the threads returned (results.<thread>) and the memory.
  arbiter(_m, results) {
    const [flag, data] = results.reader!;
    if (flag === 0) return 'flag not seen yet';
    return data === 42 ? 'flag seen, data fresh' : 'flag seen, data stale';
  },
  // Each outcome's grade: 'acceptable', 'interesting' (worth seeing, not wrong) or 'forbidden'
  // (a FAILURE when seen) — the same in every variant, or one per variant.
  outcomes: {
    'flag not seen yet': 'acceptable',
    'flag seen, data fresh': 'acceptable',
    'flag seen, data stale': { once: 'interesting', 'wmb-rmb': 'forbidden' },
  },
  // Counters (cpu.count) and latencies in ns (cpu.latency, timed with cpu.stamp()).
  metrics: { 'flags seen': 'counter' },
  // Lines printed under the table: what this machine can and cannot show.
  notes: ['x86 is TSO: "flag seen, data stale" stays 0 on hw; --on weak shows it without barriers.'],
});
`;
}
