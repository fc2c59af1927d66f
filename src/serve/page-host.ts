// Who ran a page's result: the browser (from its user agent) on its device. A page opened on
// this machine (a loopback address) ran on this machine's CPU; from elsewhere (a phone on the
// network) the server knows only what the browser says.

import os from 'node:os';
import { browserIdentity } from '../engines/identity.ts';
import type { HostInfo } from '../runtime/host.ts';
import type { PageResult } from './page-data.ts';

export function pageHost(r: PageResult, local: boolean): HostInfo {
  const engine = browserIdentity(r.device.userAgent, r.flags ?? []);
  const full = r.device.browserVersion;
  if (full && /^[\d.]+$/.test(full)) {
    engine.version = full;
    if (engine.jsEngine === 'V8') engine.jsVersion = `as ${engine.name} ${full}`;
  }
  return {
    arch: local ? os.arch() : 'unknown (browser)',
    cpuModel: local ? (os.cpus()[0]?.model.trim() ?? 'unknown CPU') : 'unknown (browser)',
    cores: r.device.hardwareConcurrency,
    os: local ? `${os.type()} ${os.release()}` : platformOf(r.device.userAgent),
    engine,
    device: r.device,
  };
}

/** The platform part of a user agent: `(Linux; Android 14; Pixel 8)`. */
function platformOf(userAgent: string): string {
  return /\(([^)]*)\)/.exec(userAgent)?.[1] ?? 'unknown';
}
