// A module-resolution hook (node:module register, from user-modules.ts) for a checkout's build:
// an import of the checkout's src/, workers/ or scenarios/ TypeScript, or of 'smplab' (the
// package's own name, whose exports point at a dist/ the checkout does not run), resolves to
// that module in the build this process runs. Nothing else is touched.

interface Roots {
  /** file: URL of the checkout, with a trailing slash. */
  source: string;
  /** file: URL of the build (node_modules/.cache/smplab/<hash>/), with a trailing slash. */
  build: string;
}

interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

type NextResolve = (specifier: string, context: unknown) => Promise<Resolved>;

let roots: Roots | undefined;

export function initialize(data: Roots): void {
  roots = data;
}

const OWN = /^(src|workers|scenarios)\/.*\.ts$/;

export async function resolve(
  specifier: string,
  context: unknown,
  next: NextResolve,
): Promise<Resolved> {
  if (!roots) return next(specifier, context);
  if (specifier === 'smplab')
    return { url: `${roots.build}src/kernel/index.js`, format: 'module', shortCircuit: true };
  const r = await next(specifier, context);
  const rel = r.url.startsWith(roots.source) ? r.url.slice(roots.source.length) : '';
  if (!OWN.test(rel)) return r;
  return {
    url: `${roots.build}${rel.replace(/\.ts$/, '.js')}`,
    format: 'module',
    shortCircuit: true,
  };
}
