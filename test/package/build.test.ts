// The build (bin/build.js) bundles smplab: only the modules named by path at run time keep their
// own file. A path named in the sources that the build does not give its own file would fail
// only when that worker, page or runner starts from the installed package; this test finds each
// such path in the sources (ownModule('workers/model'), the browser bundler's entries, bin's CLI
// and the package's export) and looks for its file in a fresh build.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Build {
  moduleFiles(): string[];
  compile(files: string[], outDir: string): Promise<void>;
}

/** The module paths the sources name as strings ('workers/model', `src/engines/runner`). */
function namedModules(): string[] {
  const named = new Set(['src/cli/main', 'src/kernel/index']); // bin/smplab.js, package.json
  for (const dir of ['src', 'workers', 'web'])
    for (const f of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (!f.endsWith('.ts')) continue;
      const text = readFileSync(join(ROOT, dir, f), 'utf8');
      for (const m of text.matchAll(/['`]((?:src|workers|web)\/[\w/-]+)['`]/g)) named.add(m[1]!);
    }
  return [...named].sort();
}

test('every module the sources name by path has its own file in a build', async (t) => {
  const build = (await import(pathToFileURL(join(ROOT, 'bin', 'build.js')).href)) as Build;
  const out = mkdtempSync(join(os.tmpdir(), 'smplab-build-'));
  try {
    await build.compile(build.moduleFiles(), out);
    const named = namedModules();
    t.true(named.includes('workers/model') && named.includes('web/app'), named.join(' '));
    t.deepEqual(
      named.filter((m) => !existsSync(join(out, `${m}.js`))),
      [],
      'named in the sources, missing from the build',
    );
    // Everything else is bundled: far fewer files than modules.
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' });
    t.false(files.includes(join('src', 'lab', 'plan.js')), 'src/lab/plan.ts is bundled');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
