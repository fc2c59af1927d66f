// Loading a scenario module a user wrote, in a process that runs compiled JavaScript (the
// installed package, or a checkout's build): tsx's loader for a TypeScript file and, in a
// checkout's build, the checkout's own modules taken from that build (source-hook.ts). A
// scenario in a checkout imports '../src/kernel/index.ts' as the seed scenarios do, or 'smplab'
// as the package's users do; either must reach the kernel this process's CPUs are bound to
// (kernel/cpu.ts keeps the bound CPU in a module variable), not a second copy compiled by tsx
// or a dist/ that may not exist. The main thread and each scenario worker call it before
// importing the scenario. Under tsx (the sources) there is nothing to do.

import module from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODE_ROOT, COMPILED, isTypeScript, ownModule } from '../../own-modules.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';

/** A build of a checkout (bin/build.js), not the installed package's dist/. */
const CHECKOUT_BUILD = COMPILED && CODE_ROOT !== join(PACKAGE_ROOT, 'dist', '/');

let hooked = false;

/**
 * Makes `file` loadable here: tsx for TypeScript, the checkout's modules from its build; and
 * source maps on, so that a compiled seed scenario (bin/build.js maps it) or a user's .ts file
 * (tsx's map) is named at its own lines by a fault's stack and by --explain's call sites.
 */
export async function prepareUserModule(file: string): Promise<void> {
  // Not in Bun or Deno, which map their own stacks.
  process.setSourceMapsEnabled?.(true);
  if (!COMPILED || file.startsWith(CODE_ROOT)) return;
  if (isTypeScript(file)) (await import('tsx/esm/api')).register();
  // Registered after tsx, so that it resolves first. Bun and Deno have no module hooks (and
  // run TypeScript themselves); the seed scenarios are all they load.
  if (CHECKOUT_BUILD && !hooked && typeof module.register === 'function') {
    hooked = true;
    module.register(pathToFileURL(ownModule('src/runtime/scenario/source-hook')), {
      data: { source: pathToFileURL(PACKAGE_ROOT).href, build: pathToFileURL(CODE_ROOT).href },
    });
  }
}
