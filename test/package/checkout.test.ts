// `smplab` in a checkout (bin/smplab.js): compiled code, never an old build. In a copy of the
// checkout (so that a source can be changed; its packages are the checkout's, its builds its own),
// bin runs the build of the sources as they are: after a change, the changed code (also an edit
// of the same size right after a start that trusted the files' stamps); a dist/ left in the
// checkout is never run; a user's scenario importing the kernel as the seed scenarios do
// ('../src/kernel/index.ts') or as the package's users do ('smplab') gets the build's kernel,
// the one its CPUs are bound to (smp_mb() needs the bound CPU); --explain names a seed
// scenario's calls at the lines of its .ts file (the build maps the scenarios).

import { execFile } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import test from 'ava';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COPIED = [
  'bin',
  'src',
  'workers',
  'scenarios',
  'web',
  'schema',
  'package.json',
  'tsconfig.json',
];

const copy = mkdtempSync(join(os.tmpdir(), 'smplab-checkout-'));
test.before(() => {
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  // The checkout's packages, but a node_modules/.cache of its own: the copy's builds are its.
  mkdirSync(join(copy, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules')))
    if (entry !== '.cache')
      symlinkSync(join(ROOT, 'node_modules', entry), join(copy, 'node_modules', entry));
});
test.after.always(() => rmSync(copy, { recursive: true, force: true }));

const smplab = (...args: string[]) =>
  run(process.execPath, [join(copy, 'bin', 'smplab.js'), ...args], {
    cwd: copy,
    env: { ...process.env, SMPLAB_RESULTS_DIR: join(copy, 'results') },
    timeout: 120_000,
  });

const sb = (
  name: string,
  kernel: string,
) => `import { defineScenario, READ_ONCE, smp_mb, WRITE_ONCE } from '${kernel}';

export default defineScenario({
  name: '${name}',
  description: 'store buffering with smp_mb()',
  kind: 'iterations',
  memory: { x: 'int', y: 'int' },
  variants: { mb: 'smp_mb() between the store and the load' },
  threads: {
    a(_cpu, m) {
      WRITE_ONCE(m.x, 1);
      smp_mb();
      return READ_ONCE(m.y);
    },
    b(_cpu, m) {
      WRITE_ONCE(m.y, 1);
      smp_mb();
      return READ_ONCE(m.x);
    },
  },
  arbiter: (_m, r) => (r[0] === 0 && r[1] === 0 ? 'both zero' : 'one seen'),
  outcomes: { 'both zero': 'forbidden', 'one seen': 'acceptable' },
});
`;

test.serial('bin runs the sources as they are now, compiled, never dist/', async (t) => {
  mkdirSync(join(copy, 'dist', 'src'), { recursive: true });
  writeFileSync(
    join(copy, 'dist', 'src', 'cli.js'),
    'console.log("stale dist/ ran"); process.exit(3);\n',
  );
  const before = await smplab('help');
  t.notRegex(before.stdout, /stale dist/);
  t.regex(before.stdout, /^smplab — /m);

  appendFileSync(join(copy, 'src', 'cli', 'main.ts'), '\nconsole.log("changed source ran");\n');
  const after = await smplab('help');
  t.regex(after.stdout, /changed source ran/);
  const builds = readdirSync(join(copy, 'node_modules', '.cache', 'smplab')).filter(
    (f) => f !== 'stamps',
  );
  t.is(builds.length, 2, 'each version of the sources has its own build');
});

test.serial(
  "a start trusts the sources' stamps only while no file changed, same size or not",
  async (t) => {
    const schema = join(copy, 'src', 'cli', 'schema.ts');
    const stamps = join(copy, 'node_modules', '.cache', 'smplab', 'stamps');
    // Files changed within 3 s may change again unseen (the racy rule): past that, a start
    // remembers the sources' hash under their stamps, and the next start reads none of them.
    await new Promise((r) => setTimeout(r, 3500));
    t.regex((await smplab('help')).stdout, /^ {2}smplab help +this text/m);
    t.true(readdirSync(stamps).length > 0, 'the stamps were remembered');
    t.regex((await smplab('help')).stdout, /^ {2}smplab help +this text/m);
    // The same size, at once, twice: each is a new stamp, so the changed code runs.
    for (const word of ['that', 'thus']) {
      writeFileSync(
        schema,
        readFileSync(schema, 'utf8').replace(/'this text|'that text/, `'${word} text`),
      );
      t.regex((await smplab('help')).stdout, new RegExp(`^ {2}smplab help +${word} text`, 'm'));
    }
  },
);

test.serial("a user's scenario gets the build's kernel, imported either way", async (t) => {
  writeFileSync(join(copy, 'sb-source.ts'), sb('sb-source', './src/kernel/index.ts'));
  writeFileSync(join(copy, 'sb-package.ts'), sb('sb-package', 'smplab'));
  for (const file of ['sb-source.ts', 'sb-package.ts']) {
    // No --time: the run grows until its threads have overlapped often enough, which a fixed
    // 0.2 s may not give them on a loaded machine ('one seen' must be counted).
    const { stdout } = await smplab('run', `./${file}`);
    t.regex(stdout, /^both zero +0 forbidden/m, file);
    t.regex(stdout, /^one seen +[1-9][\d,]* acceptable/m, file);
    t.notRegex(stdout, /FAILURE/, file);
  }
});

test.serial("--explain names a seed scenario's calls at the lines of its .ts file", async (t) => {
  // bin runs the compiled scenarios/atomic-bool.js; its source map leads back to the .ts.
  const { stdout } = await smplab(
    'run',
    'atomic-bool',
    '--on',
    'model',
    '--variant',
    'wmb-rmb',
    '--explain',
    'stale',
  );
  const source = readFileSync(join(copy, 'scenarios', 'atomic-bool.ts'), 'utf8').split('\n');
  const line = source.findIndex((l) => l.includes('smp_wmb();')) + 1;
  t.regex(stdout, new RegExp(`^ {4}atomic-bool\\.ts:${line} +smp_wmb\\(\\) +F smp_wmb$`, 'm'));
  t.notRegex(stdout, /atomic-bool\.js:/);
});
