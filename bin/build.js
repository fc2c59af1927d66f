// Building smplab's JavaScript with esbuild (the compiler tsx runs the tests through), so that
// a command loads a few files instead of every module one by one:
// - the modules some code names by path at run time (ENTRY_MODULES: bin's CLI, the workers, the
//   child runner, the browser pages' entries, the package's export) are the bundle's entry
//   points and keep their paths; every other module is in a shared chunk (chunks/, one folder
//   below the build's root, as src/own-modules.ts expects of its own place). esbuild puts each
//   module in exactly one file, so a worker and a user's scenario share one kernel (the bound
//   CPU is a module variable). A dynamic import() stays lazy: its module is a chunk of its own.
// - the seed scenarios are compiled one file to one file, with source maps (no sources inside):
//   --explain names each kernel API call at its line of the scenario's .ts file
//   (src/explore/call-site.ts). They import the kernel's entry, as a user's scenario does.
// It has two users, one emitter:
// - a checkout: bin/smplab.js runs checkoutBuild(), the build of the sources as they are now,
//   kept in node_modules/.cache/smplab/<hash of the sources>/. A changed source is a new hash and
//   so a new build: a build is never stale, and one a running command uses is never rewritten
//   under it. A dist/ in the checkout is never run. Hashing every source at every start costs
//   tens of ms, so the hash of the sources is remembered under their file stamps (stamps/):
//   another write to any of them is another stamp, found by a stat() of each file.
// - the package: `npm run build` (npm pack's prepack) writes dist/ with the same emitter, then
//   tsc's declarations (which type-checks the sources: a type error stops the pack), and the
//   seed scenarios' sources as examples a user copies (dist/examples/*.ts), importing the
//   kernel API from 'smplab' as a user's file does.
// Plain JavaScript, so that bin needs no compiler to start. It is not part of the package.

import { createHash } from 'node:crypto';
import {
  existsSync,
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
/** Besides the modules, what a build's output depends on (esbuild's version included). */
const BUILD_INPUTS = ['bin/build.js', 'tsconfig.json', 'node_modules/esbuild/package.json'];
/**
 * The modules of src/ named by path at run time, besides every module of workers/ and web/
 * (threads, pages and the browser bundler's entries): each keeps its own file in a build.
 * test/package/entries.test.ts checks that every such path the sources name is here.
 */
const SRC_ENTRIES = [
  'src/cli/main.ts', // bin/smplab.js
  'src/kernel/index.ts', // the package's export; the seed scenarios' import
  'src/engines/runner.ts', // engines/run-child.ts: the child runner under bun, deno, node
  'src/runtime/scenario/source-hook.ts', // runtime/scenario/user-modules.ts: module.register
];
/** Where the shared chunks go: one folder below the root, as src/own-modules.ts is. */
const CHUNKS = 'chunks';
const CACHE = join(ROOT, 'node_modules', '.cache', 'smplab');
/** Builds kept besides the newest ones: those used within this long (a long run may use one). */
const KEEP_NEWEST = 3;
const KEEP_USED_MS = 24 * 3600_000;
/**
 * A file changed this recently may change again within the file system's timestamp tick, with
 * the same size and stamps (git's "racily clean" files): its stamp is not remembered.
 */
const RACY_MS = 3000;

/** The modules to compile, relative to the root, in a stable order. */
export function moduleFiles(root = ROOT) {
  return MODULE_DIRS.flatMap((dir) => tsFiles(root, dir)).sort();
}

/** The .ts modules under `dir` (relative to root), walked by hand: faster than recursive readdir. */
function tsFiles(root, dir) {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(root, rel);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The modules that keep their own file in a build: see SRC_ENTRIES. */
export function entryModules(files) {
  return files.filter(
    (f) => f.startsWith('workers/') || f.startsWith('web/') || SRC_ENTRIES.includes(f),
  );
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
 * The same files' stamps, hashed: path, inode, size, modification and change times. A write
 * changes the change time, which nothing sets back, so new contents are a new stamp; `newest`
 * is the latest change time (ms), for the racy-file rule.
 */
function stampsOf(files, root = ROOT) {
  const h = createHash('sha256');
  let newest = 0;
  for (const f of [...files, ...BUILD_INPUTS]) {
    const s = statSync(join(root, f), { bigint: true });
    h.update(`${f}\0${s.ino} ${s.size} ${s.mtimeNs} ${s.ctimeNs}\0`);
    newest = Math.max(newest, Number(s.ctimeMs), Number(s.mtimeMs));
  }
  return { stamp: h.digest('hex').slice(0, 32), newest };
}

/**
 * Compiles the modules `files` (relative to `root`) into `outDir`: the bundle of everything but
 * the seed scenarios, and those one file each, mapped.
 */
export async function compile(files, outDir, root = ROOT) {
  const { build } = await import('esbuild');
  const common = {
    absWorkingDir: root,
    outdir: outDir,
    outbase: root,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Every function keeps its own name: the kernel API's names are what --explain shows of a
    // call (call-site.ts reads them off the stack), and a bundle renames clashing ones.
    keepNames: true,
    logLevel: 'error',
  };
  const entries = entryModules(files);
  const { metafile } = await build({
    ...common,
    entryPoints: entries,
    splitting: true,
    chunkNames: `${CHUNKS}/[name]-[hash]`,
    packages: 'external',
    metafile: true,
  });
  checkOwnModulesPlace(metafile, outDir, root);
  await build({
    ...common,
    entryPoints: files.filter((f) => f.startsWith('scenarios/')),
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [importsOf(entries)],
  });
}

/**
 * src/own-modules.ts finds the build's root one folder above its own file: the file it lands in
 * must be one folder below the root (a chunk, or an entry like workers/x.js).
 */
function checkOwnModulesPlace(metafile, outDir, root) {
  const outRoot = relative(root, outDir);
  const [file] = Object.entries(metafile.outputs).find(
    ([, o]) => 'src/own-modules.ts' in o.inputs,
  ) ?? ['(nowhere)'];
  if (relative(outRoot, file).split('/').length !== 2)
    throw new Error(`bin/build.js: src/own-modules.ts landed in ${file}, not one folder deep`);
}

/**
 * A seed scenario stays its own module: its imports stay imports, of the entries' compiled
 * files (the kernel's, as a user's scenario imports it); an import of any other module of ours
 * would have no file in the build, so it is an error.
 */
function importsOf(entries) {
  return {
    name: 'imports-of-entries',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (a) => {
        if (a.kind === 'entry-point') return undefined;
        if (!/^\.\.?\//.test(a.path)) return { path: a.path, external: true };
        const target = relative(b.initialOptions.absWorkingDir, join(a.resolveDir, a.path));
        if (!entries.includes(target))
          return {
            errors: [
              {
                text: `${a.importer} imports ${target}, which is no entry of the build (bin/build.js SRC_ENTRIES)`,
              },
            ],
          };
        return { path: a.path.replace(/\.ts$/, '.js'), external: true };
      });
    },
  };
}

/**
 * The folder of a build of the checkout's sources as they are now (with a trailing slash),
 * compiled first when there is none. Concurrent commands may both compile; the first rename wins.
 */
export async function checkoutBuild() {
  const files = moduleFiles();
  const { stamp, newest } = stampsOf(files);
  const stampFile = join(CACHE, 'stamps', stamp);
  const known = readIfThere(stampFile);
  if (known !== undefined && used(join(CACHE, known))) return `${join(CACHE, known)}/`;
  const hash = sourcesHash(files);
  const dir = join(CACHE, hash);
  if (!used(dir)) await buildInto(files, dir);
  if (Date.now() - newest > RACY_MS) remember(stampFile, hash);
  return `${dir}/`;
}

function readIfThere(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Marks the build `dir` used now; false if there is none. */
function used(dir) {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
    return true;
  } catch {
    return false;
  }
}

async function buildInto(files, dir) {
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
}

/**
 * Writes `hash` as the sources' hash under their stamps, whole or not at all. It only saves
 * the next start a hash: a failure to write it is no failure of the command.
 */
function remember(stampFile, hash) {
  const tmp = `${stampFile}.${process.pid}.tmp`;
  try {
    mkdirSync(join(CACHE, 'stamps'), { recursive: true });
    writeFileSync(tmp, hash);
    renameSync(tmp, stampFile);
  } catch {
    rmSync(tmp, { force: true });
  }
}

/**
 * Removes old builds: all but the newest few, unless used within KEEP_USED_MS; and the stamps
 * that name a build no longer there.
 */
function pruneBuilds(current) {
  const builds = readdirSync(CACHE)
    .filter((name) => name !== 'stamps' && !name.startsWith('tmp-'))
    .map((name) => join(CACHE, name))
    .filter((p) => p !== current)
    .map((p) => ({ p, used: statSync(p).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { p, used } of builds.slice(KEEP_NEWEST - 1))
    if (Date.now() - used > KEEP_USED_MS) rmSync(p, { recursive: true, force: true });
  const stamps = join(CACHE, 'stamps');
  for (const name of existsSync(stamps) ? readdirSync(stamps) : []) {
    const hash = readIfThere(join(stamps, name));
    if (!name.endsWith('.tmp') && (hash === undefined || !existsSync(join(CACHE, hash))))
      rmSync(join(stamps, name), { force: true });
  }
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
  // Imported here: a command's start (checkoutBuild) needs no child process.
  const { execFileSync } = await import('node:child_process');
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
