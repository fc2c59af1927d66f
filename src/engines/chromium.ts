// Chromium: V8 in a browser, driven headless over the Chrome DevTools Protocol by
// puppeteer-core. Debian's package (`apt-get install chromium`), never a downloaded browser.
// Engine flags are V8 flags, given to the browser with --js-flags.

import { type BrowserEngine, findExecutable, versionOf } from './engine.ts';

export const chromium: BrowserEngine = {
  name: 'chromium',
  kind: 'browser',
  devtools: true,
  jsEngine: 'V8',
  install:
    'sudo apt-get install chromium (Debian; chromium-browser or google-chrome on PATH also work)',
  flagsHelp: 'V8 flags, given to the browser as --js-flags',
  locate() {
    const path = findExecutable(['chromium', 'chromium-browser', 'google-chrome']);
    const v = path && versionOf(path);
    // `Chromium 156.0.8078.108 built on Debian GNU/Linux 12 (bookworm)`
    return path && v ? { path, version: v.replace(/ built on .*/, '') } : undefined;
  },
  launchOptions(at, flags) {
    return {
      browser: 'chrome',
      executablePath: at.path,
      headless: true,
      // As root (CI), Chromium refuses to start without --no-sandbox.
      args: [
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        ...(flags.length ? [`--js-flags=${flags.join(' ')}`] : []),
      ],
    };
  },
};
