// Which engine this code is running in, asked of the engine itself: Bun and Deno also expose
// Node's `process.versions` for compatibility (Bun says "node 26.3.0, v8 14.6…" while it runs on
// JavaScriptCore), so the runtime's own global is looked at first. Runs in any host, browsers
// included: no Node module is imported.

export const JS_ENGINES = ['V8', 'JavaScriptCore', 'SpiderMonkey'] as const;
export type JsEngine = (typeof JS_ENGINES)[number];

/** What a result records about the engine that ran its CPUs (STYLE 15). */
export interface EngineIdentity {
  /** node, bun, deno, chromium, firefox (or the browser's own name). */
  name: string;
  version: string;
  jsEngine: JsEngine | 'unknown';
  jsVersion: string;
  /** Engine flags the CPUs ran with (V8 flags, JSC options), as given. */
  flags: string[];
}

declare const Bun: { version: string } | undefined;
declare const Deno: { version: { deno: string; v8: string } } | undefined;

interface ProcessLike {
  versions: Record<string, string | undefined>;
}

export function engineIdentity(flags: string[] = []): EngineIdentity {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (typeof Bun !== 'undefined') {
    // Bun embeds WebKit's JavaScriptCore at a commit, not a release: that commit is its version.
    const webkit = proc?.versions.webkit ?? 'unknown';
    return {
      name: 'bun',
      version: Bun.version,
      jsEngine: 'JavaScriptCore',
      jsVersion: `WebKit ${webkit.slice(0, 12)}`,
      flags,
    };
  }
  if (typeof Deno !== 'undefined')
    return {
      name: 'deno',
      version: Deno.version.deno,
      jsEngine: 'V8',
      jsVersion: Deno.version.v8,
      flags,
    };
  if (proc?.versions.node)
    return {
      name: 'node',
      version: proc.versions.node,
      jsEngine: 'V8',
      jsVersion: proc.versions.v8 ?? 'unknown',
      flags,
    };
  return browserIdentity(globalThis.navigator?.userAgent ?? '', flags);
}

/** A browser from its user agent: Firefox is SpiderMonkey at the browser's version; Chrome's V8 follows Chrome's. */
export function browserIdentity(userAgent: string, flags: string[] = []): EngineIdentity {
  const firefox = /Firefox\/([\d.]+)/.exec(userAgent);
  if (firefox)
    return {
      name: 'firefox',
      version: firefox[1]!,
      jsEngine: 'SpiderMonkey',
      jsVersion: firefox[1]!,
      flags,
    };
  const chrome = /(?:HeadlessChrome|Chrome|Chromium)\/([\d.]+)/.exec(userAgent);
  if (chrome)
    return {
      name: 'chromium',
      version: chrome[1]!,
      jsEngine: 'V8',
      jsVersion: `as Chromium ${chrome[1]!}`,
      flags,
    };
  const safari = /Version\/([\d.]+).*Safari\//.exec(userAgent);
  if (safari)
    return {
      name: 'safari',
      version: safari[1]!,
      jsEngine: 'JavaScriptCore',
      jsVersion: `as Safari ${safari[1]!}`,
      flags,
    };
  return { name: 'browser', version: 'unknown', jsEngine: 'unknown', jsVersion: 'unknown', flags };
}

/** `bun 1.4.5 (JavaScriptCore WebKit d6375c72affe)`, with the flags when there are any. */
export function describeEngine(e: EngineIdentity): string {
  const flags = e.flags.length ? ` flags ${e.flags.join(' ')}` : '';
  return `${e.name} ${e.version} (${e.jsEngine} ${e.jsVersion})${flags}`;
}
