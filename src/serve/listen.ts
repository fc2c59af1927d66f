// `smplab serve`'s HTTP side: the page server (engines/browser/page-server.ts, the one the
// headless browser driver uses too) listening where the user asked — a host and port, HTTPS
// with the user's PEM files — and the addresses another device on the network can open.
// What the page runs and what a posted result becomes are the lab's (lab/serve.ts).

import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { PageResult, PageTest } from '../engines/browser/page-data.ts';
import { type RunningServer, startServer } from '../engines/browser/page-server.ts';
import { UserError } from '../errors.ts';

export interface ListenOptions {
  tests: PageTest[];
  host: string;
  port: number;
  /** PEM files: serve HTTPS (another device's browser gives a page SharedArrayBuffer only so). */
  tlsCert?: string;
  tlsKey?: string;
  /** A result the page posted; returns where it was saved. */
  onResult(result: PageResult): Promise<string> | string;
  /** Served to the network: a device spent its token; `next` is the next device's. */
  onClaim?: (userAgent: string, next: string) => void;
}

export interface Listening {
  server: RunningServer;
  https: boolean;
  /** Where another device reaches it, when listening on every address. */
  networkUrls: string[];
}

export async function listen(opts: ListenOptions): Promise<Listening> {
  // Read before listening: a missing or unreadable PEM file is its own error, not "cannot listen".
  const tls = tlsFiles(opts.tlsCert, opts.tlsKey);
  let server: RunningServer;
  try {
    server = await startServer({ ...opts, tls });
  } catch (e) {
    throw new UserError(`cannot listen on ${opts.host}:${opts.port}: ${(e as Error).message}`);
  }
  const scheme = tls ? 'https' : 'http';
  return {
    server,
    https: tls !== undefined,
    networkUrls: networkUrls(opts.host, new URL(server.url).port, scheme),
  };
}

function tlsFiles(cert?: string, key?: string): { cert: string; key: string } | undefined {
  if (!cert && !key) return undefined;
  if (!cert || !key) throw new UserError('--tls-cert and --tls-key go together');
  const read = (flag: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new UserError(`${flag} ${file}: ${(e as Error).message}`);
    }
  };
  return { cert: read('--tls-cert', cert), key: read('--tls-key', key) };
}

/** http://<address>:<port>/ for each non-internal IPv4 address, when listening on all of them. */
function networkUrls(host: string, port: string, scheme: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [];
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => `${scheme}://${a!.address}:${port}/`);
}
