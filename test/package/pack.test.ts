// The package as a user gets it: `npm pack` (which builds dist/), the tarball installed into an
// empty folder, then `npx smplab run SB+poonceonces` and `npx smplab run ./my-count.ts` — a
// scenario of the user's own, importing the kernel API from 'smplab' — run from there, on the
// compiled code, on hw and (as my-count.mts) on the model's explorer. The install prefers npm's local cache (the tarball's dependencies are the
// checkout's own, so they are there after `npm ci`); only a cold cache asks the registry.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Packing builds the whole package and installing it copies ~20 MB: minutes on a busy machine. */
const LIMIT_MS = 8 * 60_000;

const USER_SCENARIO = `import { atomic_inc, atomic_read, defineScenario, READ_ONCE, WRITE_ONCE } from 'smplab';

export default defineScenario({
  name: 'my-count',
  description: 'two CPUs count: atomic_inc against READ_ONCE/WRITE_ONCE',
  kind: 'iterations',
  memory: { n: 'atomic_t', m: 'int' },
  variants: { atomic: 'atomic_inc', once: 'WRITE_ONCE(m, READ_ONCE(m) + 1)' },
  threads: {
    counter: {
      count: 2,
      run(cpu, mem, variant) {
        const rounds = cpu.instance === 'model' ? 1 : 100;
        for (let i = 0; i < rounds; i++) {
          if (variant === 'atomic') atomic_inc(mem.n);
          else WRITE_ONCE(mem.m, READ_ONCE(mem.m) + 1);
        }
      },
    },
  },
  arbiter(mem, _r, variant, cpu) {
    const total = variant === 'atomic' ? atomic_read(mem.n) : READ_ONCE(mem.m);
    return total === (cpu.instance === 'model' ? 2 : 200) ? 'all counted' : 'updates lost';
  },
  model: { description: 'one increment each' },
  outcomes: { 'all counted': 'acceptable', 'updates lost': { atomic: 'forbidden', once: 'interesting' } },
});
`;

test('the packed tarball installs into an empty folder and runs a litmus test and a user scenario', async (t) => {
  t.timeout(LIMIT_MS);
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-pack-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const opts = { cwd: dir, timeout: LIMIT_MS, maxBuffer: 1 << 24 };
  const env = { ...process.env, SMPLAB_RESULTS_DIR: join(dir, 'results') };

  await run('npm', ['pack', '--pack-destination', dir, ROOT], opts);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  t.truthy(tarball, 'npm pack wrote no tarball');
  const app = join(dir, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    '{ "name": "app", "private": true, "type": "module" }\n',
  );
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball!)],
    { ...opts, cwd: app },
  );

  const sb = await run('npx', ['smplab', 'run', 'SB+poonceonces', '--runs', '20000'], {
    ...opts,
    cwd: app,
    env,
  });
  t.regex(sb.stdout, /^model lkmm: Sometimes/m);
  t.regex(sb.stdout, /^Observation SB\+poonceonces \w+ \d+ \d+$/m);

  // A model read from files: herd7's sc.cat from the library the package ships, against a model
  // of the user's own (the same axioms, written out) that includes a file of that library.
  writeFileSync(
    join(app, 'mine.cat'),
    '"mine"\ninclude "cos.cat"\nempty rmw & (fre ; coe) as atom\nacyclic po | rf | co | fr as sc\n',
  );
  const cat = await run(
    'npx',
    [
      'smplab',
      'check',
      join(app, 'node_modules/smplab/scenarios/litmus'),
      '--cat',
      'mine.cat',
      '--against',
      join(app, 'node_modules/smplab/cat/sc.cat'),
    ],
    {
      ...opts,
      cwd: app,
      env,
    },
  );
  t.regex(cat.stdout, /[\d,]+ tests under \S*mine\.cat against cat\/sc\.cat: no verdict changes/);

  writeFileSync(join(app, 'my-count.ts'), USER_SCENARIO);
  const mine = await run('npx', ['smplab', 'run', './my-count.ts', '--on', 'hw', '--time', '0.3'], {
    ...opts,
    cwd: app,
    env,
  });
  t.regex(mine.stdout, /^all counted +[\d,]+ acceptable +[\d,]+ acceptable/m);
  t.regex(mine.stdout, /^updates lost +0 forbidden/m);
  t.notRegex(mine.stdout, /FAILURE/);

  // The same file as an ES module on the model: every execution of its model instance.
  writeFileSync(join(app, 'my-count.mts'), USER_SCENARIO);
  const explored = await run(
    'npx',
    ['smplab', 'run', './my-count.mts', '--on', 'model', '--model', 'sc'],
    {
      ...opts,
      cwd: app,
      env,
    },
  );
  t.regex(
    explored.stdout,
    /^updates lost +never — exhaustive, 2 executions +reachable interesting/m,
  );

  // The kernel API's types come with the package: the user's file type-checks against them.
  await run(
    process.execPath,
    [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--skipLibCheck', 'my-count.ts'],
    { ...opts, cwd: app },
  );
  t.pass();
});
