// The package as a user gets it. The checkout's files are copied to a temporary folder (so
// that packing, which builds dist/, writes nothing into the checkout), `npm pack` runs there,
// and the tarball is installed into an empty folder with `npm ci --offline`, from a lock file
// made of the checkout's (the tarball, and the versions of its dependencies the suite tests):
// npm then needs only their tarballs, which `npm ci` left in npm's cache, and no registry
// metadata, so nothing is fetched. A cold cache (ENOTCACHED) is a failure under CI (.ci/run
// runs npm ci first) and a SKIPPED line naming the fix elsewhere. From that folder, on the
// compiled code alone:
// every installed engine (`--engine all`), `serve` answering a run posted by headless
// Chromium, a model run on its worker threads, a seed scenario, `report`, and a user's `.ts`
// scenario that imports the kernel API from 'smplab' (the README's my-count.mts, on hw and on
// the model's explorer, answering what the README shows, with --explain naming the lines of
// the user's file) and type-checks
// against its declarations, and the starting file `smplab new scenario` writes, run and
// type-checked as it is.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
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
import test, { type ExecutionContext } from 'ava';
import puppeteer, { type LaunchOptions } from 'puppeteer-core';
import { chromium } from '../../src/engines/chromium.ts';
import { ENGINES } from '../../src/engines/registry.ts';
import { absentEngine } from '../engines/presence.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** Packing builds the package and installing copies ~20 MB: minutes on a busy machine. */
const LIMIT_MS = 8 * 60_000;
/** What packing needs of the checkout: everything but these. */
const NOT_COPIED = new Set([
  '.git',
  'node_modules',
  'dist',
  'results',
  'litmus-gen',
  'test',
  'bench',
]);

/** The README's user scenario (my-count.mts), as a user copies it from there. */
const USER_SCENARIO = readmeBlock('<!-- user scenario:');

/**
 * Three threads each write x and y once and read them: 1,296 executions, more than the model's
 * quick try in the main thread does, so the verdict comes from its worker threads.
 */
const MANY_EXECUTIONS = `C CoRW3+onces
{}
${[0, 1, 2]
  .map(
    (i) => `P${i}(int *x, int *y)
{
	int r0;
	int r1;
	WRITE_ONCE(*x, ${2 * i + 1});
	r0 = READ_ONCE(*y);
	WRITE_ONCE(*y, ${2 * i + 2});
	r1 = READ_ONCE(*x);
}
`,
  )
  .join('')}
exists (0:r0=0 /\\ 1:r0=0 /\\ 2:r0=0)
`;

interface Installed {
  /** The empty folder the package was installed into. */
  app: string;
  results: string;
}

const tmp = mkdtempSync(join(os.tmpdir(), 'smplab-pack-'));
let installed: Installed | string | undefined;

test.before(async (t) => {
  t.timeout(LIMIT_MS);
  installed = await packAndInstall();
});
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

/** The tarball installed into an empty folder, or why it could not be (a cold npm cache). */
async function packAndInstall(): Promise<Installed | string> {
  const stage = join(tmp, 'stage');
  mkdirSync(stage);
  for (const entry of readdirSync(ROOT))
    if (!NOT_COPIED.has(entry)) cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
  // The build's compilers (esbuild, tsc) are the checkout's.
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const opts = { timeout: LIMIT_MS, maxBuffer: 1 << 24 };
  const checkoutHadDist = existsSync(join(ROOT, 'dist'));
  await run('npm', ['pack', '--pack-destination', tmp], { ...opts, cwd: stage });
  if (!checkoutHadDist && existsSync(join(ROOT, 'dist')))
    throw new Error('npm pack built dist/ in the checkout, not in the copy');
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  const app = join(tmp, 'app');
  mkdirSync(app);
  writeApp(app, `file:../${tarball}`);
  try {
    await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { ...opts, cwd: app });
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? e);
    if (/ENOTCACHED/.test(stderr))
      return `npm's cache lacks a dependency of the package (npm ci fills it): ${stderr.split('\n').find((l) => /ENOTCACHED|request to/.test(l)) ?? ''}`;
    throw e;
  }
  return { app, results: join(tmp, 'results') };
}

/**
 * A user's empty project depending on the tarball, with a lock file: the tarball's entry, and
 * every package of the checkout's lock that is not a development one (the versions the suite
 * ran with, where npm finds them in its cache by their integrity).
 */
function writeApp(app: string, tarball: string): void {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const dependencies = { smplab: tarball };
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies },
    'node_modules/smplab': {
      version: pkg.version,
      resolved: tarball,
      license: pkg.license,
      dependencies: pkg.dependencies,
      optionalDependencies: pkg.optionalDependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages as Record<string, { dev?: boolean }>))
    if (path && !entry.dev) packages[path] = entry;
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  writeFileSync(
    join(app, 'package.json'),
    json({ name: 'app', private: true, type: 'module', dependencies }),
  );
  writeFileSync(
    join(app, 'package-lock.json'),
    json({ name: 'app', lockfileVersion: 3, requires: true, packages }),
  );
}

/** The installation, or undefined after saying why there is none (a cold cache). */
function ready(t: ExecutionContext): Installed | undefined {
  if (typeof installed === 'object') return installed;
  const why = installed ?? 'not installed';
  if (process.env.CI) t.fail(`${why}; CI runs npm ci first`);
  else {
    t.log(`SKIPPED: ${why}`);
    t.pass();
  }
  return undefined;
}

/** `smplab ...args` from the installed package's bin, in the user's folder. */
function smplab(i: Installed, ...args: string[]) {
  return run(join(i.app, 'node_modules', '.bin', 'smplab'), args, {
    cwd: i.app,
    env: { ...process.env, SMPLAB_RESULTS_DIR: i.results },
    timeout: LIMIT_MS,
    maxBuffer: 1 << 24,
  });
}

test.serial('the package runs from dist/ and ships no TypeScript sources to run', (t) => {
  const i = ready(t);
  if (!i) return;
  t.timeout(LIMIT_MS);
  const pkg = join(i.app, 'node_modules', 'smplab');
  t.true(existsSync(join(pkg, 'dist', 'src', 'cli', 'main.js')));
  t.true(existsSync(join(pkg, 'dist', 'src', 'kernel', 'index.d.ts')), 'declarations');
  t.false(existsSync(join(pkg, 'src')), 'no src/: bin runs dist/');
});

test.serial("smplab --version is the installed package's version", async (t) => {
  const i = ready(t);
  if (!i) return;
  t.timeout(LIMIT_MS);
  const pkg = JSON.parse(
    readFileSync(join(i.app, 'node_modules', 'smplab', 'package.json'), 'utf8'),
  );
  t.is((await smplab(i, '--version')).stdout, `${pkg.version}\n`);
});

test.serial(
  'every installed engine runs a litmus test from the package (--engine all)',
  async (t) => {
    const i = ready(t);
    if (!i) return;
    t.timeout(LIMIT_MS);
    const installedEngines = ENGINES.filter((e) => e.locate());
    for (const e of ENGINES.filter((e) => !installedEngines.includes(e))) absentEngine(t, e);
    const { stdout } = await smplab(
      i,
      'run',
      'SB+poonceonces',
      '--engine',
      'all',
      '--on',
      'hw',
      '--runs',
      '20000',
    );
    for (const e of installedEngines)
      t.regex(stdout, new RegExp(`^${e.name}\\b.* 20,000 .*$`, 'm'), `a row for ${e.name}`);
    t.notRegex(stdout, /not installed/);
  },
);

test.serial('serve answers a run posted by headless Chromium', async (t) => {
  const i = ready(t);
  if (!i) return;
  t.timeout(LIMIT_MS);
  const at = chromium.locate();
  if (!at) return absentEngine(t, chromium);
  const server = spawn(
    join(i.app, 'node_modules', '.bin', 'smplab'),
    ['serve', 'SB+poonceonces', '--port', '0'],
    {
      cwd: i.app,
      env: { ...process.env, SMPLAB_RESULTS_DIR: i.results },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  t.teardown(() => server.kill('SIGKILL'));
  const lines = outputLines(server);
  const url = /at (http:\/\/\S+)/.exec(await lines.next(/^Serving /))?.[1];
  t.truthy(url, 'serve printed its address');
  const browser = await puppeteer.launch(chromium.launchOptions(at, []) as LaunchOptions);
  try {
    const page = await browser.newPage();
    await page.goto(`${url}?test=SB%2Bpoonceonces&runs=20000&auto=1`);
    const saved = await lines.next(/^SB\+poonceonces on /);
    t.regex(saved, /20,000 runs, [\d,]+ witnesses → .*SB\+poonceonces.*\.json$/);
  } finally {
    await browser.close();
  }
  server.kill('SIGINT');
  t.is(await new Promise((r) => server.on('close', r)), 130, 'Ctrl-C stops serve');
});

test.serial('the model runs on its worker threads from the package', async (t) => {
  const i = ready(t);
  if (!i) return;
  t.timeout(LIMIT_MS);
  writeFileSync(join(i.app, 'CoRW3+onces.litmus'), MANY_EXECUTIONS);
  const { stdout } = await smplab(i, 'run', './CoRW3+onces.litmus', '--on', 'model');
  t.regex(
    stdout,
    /^model lkmm: Sometimes — 16 final states allowed, condition reachable \(1,296 executions on \d+ worker threads?, /m,
  );
});

test.serial(
  "a seed scenario, a user's TypeScript scenario and a new one run; their types check",
  async (t) => {
    const i = ready(t);
    if (!i) return;
    t.timeout(LIMIT_MS);
    const seed = await smplab(i, 'run', 'refcount', '--time', '0.3');
    t.regex(seed.stdout, /^Scenario refcount/m);
    t.notRegex(seed.stdout, /FAILURE/);
    // A seed scenario's calls at the lines of its source, which the package ships as its example.
    const told = await smplab(
      i,
      'run',
      'atomic-bool',
      '--on',
      'model',
      '--variant',
      'wmb-rmb',
      '--explain',
      'stale',
    );
    const lines = readFileSync(
      join(i.app, 'node_modules', 'smplab', 'dist', 'examples', 'atomic-bool.ts'),
      'utf8',
    ).split('\n');
    const wmb = lines.findIndex((l) => l.includes('smp_wmb();')) + 1;
    t.regex(
      told.stdout,
      new RegExp(`^ {4}atomic-bool\\.ts:${wmb} +smp_wmb\\(\\) +F smp_wmb$`, 'm'),
    );

    writeFileSync(join(i.app, 'my-count.ts'), USER_SCENARIO);
    const mine = await smplab(i, 'run', './my-count.ts', '--on', 'hw', '--time', '0.3');
    t.regex(mine.stdout, /^all counted +[\d,]+ acceptable +[\d,]+ acceptable/m);
    t.regex(mine.stdout, /^updates lost +0 forbidden/m);
    t.notRegex(mine.stdout, /FAILURE/);
    // The same file as an ES module on the model: every execution of its model instance, on the
    // explorer's worker from the package.
    writeFileSync(join(i.app, 'my-count.mts'), USER_SCENARIO);
    const explored = await smplab(i, 'run', './my-count.mts', '--on', 'model', '--model', 'sc');
    t.regex(
      explored.stdout,
      /^updates lost +never — exhaustive, 2 executions +reachable interesting/m,
    );
    // --explain: the lost update told per CPU, each call at its line of the user's own file.
    const explained = await smplab(
      i,
      'run',
      './my-count.mts',
      '--on',
      'model',
      '--model',
      'sc',
      '--variant',
      'once',
      '--explain',
      'updates lost',
    );
    const line = USER_SCENARIO.split('\n').findIndex((l) => l.includes('else WRITE_ONCE')) + 1;
    t.regex(
      explained.stdout,
      /^"updates lost" in my-count once under sc: reachable — 2 of 4 executions reach it\. One of them:$/m,
    );
    for (const p of [0, 1])
      t.regex(
        explained.stdout,
        new RegExp(
          `P${p} counter${p}:\\n {4}my-count\\.mts:${line} +READ_ONCE\\(\\) +R m=0 from the initial value\\n {4}my-count\\.mts:${line} +WRITE_ONCE\\(\\) +W m=1\\n`,
        ),
      );

    // The package's examples are the seed scenarios as a user writes one: copied, they run.
    const example = join(i.app, 'node_modules', 'smplab', 'dist', 'examples', 'atomic-bool.ts');
    cpSync(example, join(i.app, 'atomic-bool.ts'));
    const copied = await smplab(i, 'run', './atomic-bool.ts', '--time', '0.2');
    t.regex(copied.stdout, /^Scenario atomic-bool /m);
    t.notRegex(copied.stdout, /FAILURE/);
    // `smplab new scenario` from the package: a starting file (.ts: the app is an ES module
    // package) that runs and type-checks as it is.
    const made = await smplab(i, 'new', 'scenario', 'my-publish');
    t.regex(made.stdout, /my-publish\.ts: a starting scenario/);
    const fresh = await smplab(i, 'run', './my-publish.ts', '--time', '0.2');
    t.regex(fresh.stdout, /^Scenario my-publish /m);
    t.regex(fresh.stdout, /^flag seen, data stale +[\d,]+ interesting +0 forbidden$/m);
    t.notRegex(fresh.stdout, /FAILURE/);
    // The kernel API's types come with the package: the user's files type-check against them.
    await run(
      process.execPath,
      [
        TSC,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--skipLibCheck',
        'my-count.ts',
        'atomic-bool.ts',
        'my-publish.ts',
      ],
      { cwd: i.app, timeout: LIMIT_MS },
    );
  },
);

test.serial("a user's cat model is checked against herd7's sc.cat the package ships", async (t) => {
  const i = ready(t);
  if (!i) return;
  t.timeout(LIMIT_MS);
  // The same axioms as sc.cat, written out, including a file of the shipped library (cos.cat).
  writeFileSync(
    join(i.app, 'mine.cat'),
    '"mine"\ninclude "cos.cat"\nempty rmw & (fre ; coe) as atom\nacyclic po | rf | co | fr as sc\n',
  );
  const shipped = join(i.app, 'node_modules', 'smplab');
  const { stdout } = await smplab(
    i,
    'check',
    join(shipped, 'scenarios', 'litmus'),
    '--cat',
    'mine.cat',
    '--against',
    join(shipped, 'cat', 'sc.cat'),
  );
  t.regex(stdout, /[\d,]+ tests under \S*mine\.cat against cat\/sc\.cat: no verdict changes/);
  // The kernel's own model files as they are (../shared, where present) with the stdlib.cat and
  // cos-opt.cat they need from the package: lkmm's verdicts on the kernel's tests.
  const kernel = join(ROOT, '..', 'shared', 'lkmm');
  if (!existsSync(kernel)) return t.log(`the kernel's model not checked: ${kernel} is absent`);
  const lkmm = await smplab(
    i,
    'check',
    join(kernel, 'litmus-tests'),
    '--conf',
    join(kernel, 'model', 'linux-kernel.cfg'),
    '--against',
    'lkmm',
  );
  t.regex(lkmm.stdout, /[\d,]+ tests under \S*linux-kernel\.cat against lkmm: no verdict changes/);
});

test.serial('report makes a site of what the runs above saved', async (t) => {
  const i = ready(t);
  if (!i) return;
  t.timeout(LIMIT_MS);
  const out = join(tmp, 'html');
  const { stdout } = await smplab(i, 'report', i.results, '-o', out);
  t.regex(stdout, /index\.html/);
  t.true(existsSync(join(out, 'index.html')));
  const pages = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.html'),
  );
  t.true(
    pages.some((p) => p.includes('SB+poonceonces') || p.includes('SB%2Bpoonceonces')),
    pages.join(' '),
  );
});

/** The lines a child prints, awaited one pattern at a time (its stderr joined to a failure). */
function outputLines(child: ChildProcess) {
  const seen: string[] = [];
  let stderr = '';
  let wake = () => {};
  let closed = false;
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    const parts = (rest + d).split('\n');
    rest = parts.pop() ?? '';
    seen.push(...parts);
    wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.on('close', () => {
    closed = true;
    wake();
  });
  return {
    async next(pattern: RegExp): Promise<string> {
      for (;;) {
        const i = seen.findIndex((l) => pattern.test(l));
        if (i >= 0) return seen.splice(0, i + 1).pop()!;
        if (closed)
          throw new Error(
            `ended before a line matching ${pattern}:\n${seen.join('\n')}\n${stderr}`,
          );
        await new Promise<void>((r) => {
          wake = r;
        });
      }
    },
  };
}

/** The code block after `marker` in the README. */
function readmeBlock(marker: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  const block = at < 0 ? undefined : /```ts\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  if (!block) throw new Error(`the README has no code block after ${marker}`);
  return block;
}
