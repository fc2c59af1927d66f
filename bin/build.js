// Building smplab's JavaScript: every module of src/, workers/, scenarios/ and web/ compiled one
// file to one file by esbuild (the compiler tsx runs the tests through), its relative imports
// rewritten from .ts to .js. It has two users, one emitter:
// - a checkout: bin/smplab.js runs checkoutBuild(), the build of the sources as they are now,
//   kept in node_modules/.cache/smplab/<hash of the sources>/. A changed source is a new hash and
//   so a new build: a build is never stale, and one a running command uses is never rewritten
//   under it. A dist/ in the checkout is never run.
// - the package: `npm run build` (npm pack's prepack) writes dist/ with the same emitter, then
//   tsc's declarations (which type-checks the sources: a type error stops the pack), and the
//   seed scenarios' sources as examples a user copies (dist/examples/*.ts), importing the
//   kernel API from 'smplab' as a user's file does.
// Plain JavaScript, so that bin needs no compiler to start. It is not part of the package.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders whose TypeScript modules are compiled (scenarios/litmus holds data only). */
const MODULE_DIRS = ['src', 'workers', 'scenarios', 'web'];
/** Besides the modules, what a build's output depends on. */
const BUILD_INPUTS = ['bin/build.js', 'tsconfig.json'];
const CACHE = join(ROOT, 'node_modules', '.cache', 'smplab');
/** Builds kept besides the newest ones: those used within this long (a long run may use one). */
const KEEP_NEWEST = 3;
const KEEP_USED_MS = 24 * 3600_000;

/** The modules to compile, relative to the root, in a stable order. */
export function moduleFiles(root = ROOT) {
  return MODULE_DIRS.flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => join(dir, f)),
  ).sort();
}

/** A hash of everything a build is made from: each module's path and text, and the inputs. */
export function sourcesHash(files, root = ROOT) {
  const h = createHash('sha256');
  for (const f of [...files, ...BUILD_INPUTS]) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(root, f)));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Compiles `files` (relative to `root`) into `outDir`, one .js file per module. The seed
 * scenarios get source maps (no sources inside): --explain names each kernel API call at its
 * line of the scenario's .ts file, through the map (src/explore/call-site.ts).
 */
export async function compile(files, outDir, root = ROOT) {
  const scenarios = files.filter((f) => f.startsWith('scenarios'));
  await compileSome(
    files.filter((f) => !scenarios.includes(f)),
    outDir,
    root,
    {},
  );
  await compileSome(scenarios, outDir, root, { sourcemap: 'linked', sourcesContent: false });
}

async function compileSome(files, outDir, root, more) {
  const { build } = await import('esbuild');
  await build({
    ...more,
    absWorkingDir: root,
    entryPoints: files,
    outdir: outDir,
    outbase: root,
    // Bundling is how esbuild lets a plugin rewrite imports; every import stays external, so
    // each output file is its module alone.
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'one-file-per-module',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (a) =>
            a.kind === 'entry-point'
              ? undefined
              : { path: a.path.replace(/^(\.\.?\/.*)\.ts$/, '$1.js'), external: true },
          );
        },
      },
    ],
  });
}

/**
 * The folder of a build of the checkout's sources as they are now (with a trailing slash),
 * compiled first when there is none. Concurrent commands may both compile; the first rename wins.
 */
export async function checkoutBuild() {
  const files = moduleFiles();
  const dir = join(CACHE, sourcesHash(files));
  try {
    const now = new Date();
    utimesSync(dir, now, now);
    return `${dir}/`;
  } catch {
    // Not built yet.
  }
  const tmp = join(CACHE, `tmp-${process.pid}-${Date.now()}`);
  try {
    await compile(files, tmp);
    // Its own package.json: the modules are ES modules, whatever lies between here and the root.
    writeFileSync(join(tmp, 'package.json'), '{ "type": "module", "private": true }\n');
    try {
      renameSync(tmp, dir);
    } catch {
      // Another command built the same sources first: use theirs.
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  pruneBuilds(dir);
  return `${dir}/`;
}

/** Removes old builds: all but the newest few, unless used within KEEP_USED_MS. */
function pruneBuilds(current) {
  const builds = readdirSync(CACHE)
    .map((name) => join(CACHE, name))
    .filter((p) => p !== current && !p.includes('tmp-'))
    .map((p) => ({ p, used: statSync(p).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { p, used } of builds.slice(KEEP_NEWEST - 1))
    if (Date.now() - used > KEEP_USED_MS) rmSync(p, { recursive: true, force: true });
}

/** The seed scenarios as a user of the package writes one: the kernel API from 'smplab'. */
function writeExamples(dir) {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(ROOT, 'scenarios', f), 'utf8');
    const mine = text.replaceAll("from '../src/kernel/index.ts'", "from 'smplab'");
    if (mine === text) throw new Error(`scenarios/${f}: no import of the kernel API to rewrite`);
    writeFileSync(join(dir, f), mine);
  }
}

/**
 * The package ships no scenarios/*.ts: each seed scenario's map points at its example instead
 * (the same lines: only the import of the kernel API differs).
 */
function mapToExamples(outDir) {
  const dir = join(outDir, 'scenarios');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.js.map'))) {
    const map = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    map.sources = map.sources.map((s) => `../examples/${s.split('/').pop()}`);
    writeFileSync(join(dir, f), JSON.stringify(map));
  }
}

/** `npm run build`: the package's dist/ (or another folder), compiled, with declarations. */
async function buildPackage(outDir) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await compile(moduleFiles(), outDir);
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const config = join(ROOT, 'tsconfig.build.json');
  execFileSync(process.execPath, [tsc, '-p', config, '--emitDeclarationOnly', '--outDir', outDir], {
    stdio: 'inherit',
  });
  writeExamples(join(outDir, 'examples'));
  mapToExamples(outDir);
  console.log(`smplab built into ${relative(process.cwd(), outDir) || '.'}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  await buildPackage(join(process.cwd(), process.argv[2] ?? 'dist'));
