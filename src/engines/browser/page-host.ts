// Who ran a page's result: the browser (from its user agent) on its device. The headless driver
// knows the browser ran on this machine's CPU (`onThisMachine`); for a page served to whoever
// opens it, the server knows only what the browser says — a loopback connection proves nothing
// (a phone behind `adb reverse` arrives on 127.0.0.1).

import os from 'node:os';
import type { HostInfo } from '../../runtime/host.ts';
import { browserIdentity } from '../../runtime/identity.ts';
import type { PageResult } from './page-data.ts';

export function pageHost(r: PageResult, onThisMachine: boolean): HostInfo {
  const engine = browserIdentity(r.device.userAgent, r.flags ?? []);
  const full = r.device.browserVersion;
  if (full && /^[\d.]+$/.test(full)) {
    engine.version = full;
    if (engine.jsEngine === 'V8') engine.jsVersion = `as ${engine.name} ${full}`;
  }
  return {
    arch: onThisMachine ? os.arch() : 'unknown (browser)',
    cpuModel: onThisMachine ? (os.cpus()[0]?.model.trim() ?? 'unknown CPU') : 'unknown (browser)',
    cores: r.device.hardwareConcurrency,
    os: onThisMachine ? `${os.type()} ${os.release()}` : platformOf(r.device.userAgent),
    engine,
    device: r.device,
  };
}

/** The platform part of a user agent: `(Linux; Android 14; Pixel 8)`. */
function platformOf(userAgent: string): string {
  return /\(([^)]*)\)/.exec(userAgent)?.[1] ?? 'unknown';
}
