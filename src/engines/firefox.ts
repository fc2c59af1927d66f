// Firefox: SpiderMonkey, driven headless over WebDriver BiDi by puppeteer-core. Debian's
// firefox-esr package (`apt-get install firefox-esr`), never a downloaded browser. Engine flags
// are SpiderMonkey preferences as --name=value (e.g. --javascript.options.ion=false).

import { UserError } from '../errors.ts';
import { type BrowserEngine, findExecutable, versionOf } from './engine.ts';

const PREF = /^--([A-Za-z0-9_.-]+)=(.+)$/;

export const firefox: BrowserEngine = {
  name: 'firefox',
  kind: 'browser',
  jsEngine: 'SpiderMonkey',
  install: 'sudo apt-get install firefox-esr (Debian; firefox on PATH also works)',
  flagsHelp: 'SpiderMonkey preferences as --name=value, e.g. --javascript.options.ion=false',
  locate() {
    const path = findExecutable(['firefox-esr', 'firefox']);
    const v = path && versionOf(path);
    return path && v ? { path, version: v } : undefined;
  },
  launchOptions(at, flags) {
    const prefs: Record<string, unknown> = {};
    for (const f of flags) {
      const m = PREF.exec(f);
      if (!m) throw new UserError(`firefox takes preferences as --name=value, not '${f}'`);
      prefs[m[1]!] =
        m[2] === 'true'
          ? true
          : m[2] === 'false'
            ? false
            : Number.isNaN(Number(m[2]))
              ? m[2]
              : Number(m[2]);
    }
    return {
      browser: 'firefox',
      executablePath: at.path,
      headless: true,
      extraPrefsFirefox: prefs,
    };
  },
};
