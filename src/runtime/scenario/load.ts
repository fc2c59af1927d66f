// Finding and loading program scenarios: scenarios/*.ts, one scenario per module (its default
// export, a defineScenario() result whose name is the file name). A module that fails to load
// or to define its scenario is the user's mistake and becomes a UserError naming the file.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { didYouMean, UserError } from '../../errors.ts';
import { thrownAt } from '../../explore/scenario-threw.ts';
import type { Scenario } from '../../kernel/scenario.ts';
import { CODE_ROOT, COMPILED, MODULE_EXT } from '../../own-modules.ts';
import { syntaxError } from './syntax-error.ts';
import { prepareUserModule } from './user-modules.ts';

/** The directory of the seed scenarios, as modules this process runs (dist/scenarios compiled). */
export const SCENARIO_DIR = path.join(CODE_ROOT, 'scenarios');

/** Every scenario in scenarios/*.ts, sorted by name; `file` is the absolute path. */
export async function listScenarios(
  dir = SCENARIO_DIR,
): Promise<{ name: string; description: string; file: string; broken?: UserError }[]> {
  const out = [];
  for (const name of scenarioNames(dir)) {
    // One broken module must not hide the others: it is listed with what is wrong with it.
    try {
      const s = await loadNamed(dir, name);
      out.push({ name: s.name, description: s.description, file: s.file! });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      out.push({ name, description: '', file: path.join(dir, `${name}${MODULE_EXT}`), broken: e });
    }
  }
  return out;
}

/** The scenario scenarios/<name>.ts; a UserError with the closest names when there is none. */
export async function loadScenario(name: string): Promise<Scenario> {
  const names = scenarioNames();
  if (!names.includes(name))
    throw new UserError(
      `unknown scenario ${name}${didYouMean(name, names)}; scenarios: ${names.join(', ')}`,
    );
  return loadNamed(SCENARIO_DIR, name);
}

/** <dir>/<name>: the scenario module, whose name must be its file's (a UserError if not). */
async function loadNamed(dir: string, name: string): Promise<Scenario> {
  const s = await loadScenarioFile(path.join(dir, `${name}${MODULE_EXT}`));
  if (s.name !== name)
    throw new UserError(
      `scenario name ${s.name} differs from its file name ${name}${MODULE_EXT}`,
      s.file,
    );
  return s;
}

/** The scenario exported as `exportName` by any module (tests keep toy scenarios beside them). */
export async function loadScenarioFile(file: string, exportName = 'default'): Promise<Scenario> {
  const abs = path.resolve(file);
  let mod: Record<string, unknown>;
  try {
    await prepareUserModule(abs);
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message, abs);
    // A syntax error at its line and column, the line quoted (the loaders' messages lack them).
    const syntax = await syntaxError(abs);
    if (syntax)
      throw new UserError(
        `cannot load scenario: ${syntax.message}`,
        abs,
        syntax.pos,
        syntax.sourceLine,
      );
    const hint =
      COMPILED && abs.endsWith('.ts')
        ? ' (a TypeScript scenario is loaded as an ES module: name it .mts, or put "type": "module" in its package.json)'
        : abs.endsWith('.js') && /outside a module/.test(String(e))
          ? ' (a scenario is an ES module: name it .mjs, or put "type": "module" in its package.json)'
          : '';
    // One line (a module not found adds its "Require stack:"), at the line that threw if the
    // scenario's own (a loader's frame is not).
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    const at = e instanceof Error ? thrownAt(e) : undefined;
    const pos = at?.file === abs ? { line: at.line, col: at.col } : undefined;
    throw new UserError(`cannot load scenario: ${message}${hint}`, abs, pos);
  }
  const s = mod[exportName] as Scenario | undefined;
  if (!s || typeof s !== 'object' || !Array.isArray(s.threads))
    throw new UserError(
      `export ${exportName} is not a scenario (export default defineScenario({...}))`,
      abs,
    );
  return { ...s, file: abs, exportName };
}

/** The names of scenarios/*.ts, sorted. */
export function scenarioNames(dir = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(MODULE_EXT) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -MODULE_EXT.length))
    .sort();
}
