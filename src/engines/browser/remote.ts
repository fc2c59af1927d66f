// A browser that already runs elsewhere (--browser-url): an Android phone's Chrome reached over
// `adb forward tcp:9222 localabstract:chrome_devtools_remote`, a device farm's DevTools
// endpoint, or a local chromium started with --remote-debugging-port. smplab connects to it
// over the Chrome DevTools Protocol instead of starting one, and leaves it running after.
//
// The device may have no route back to this machine, so the page is served over the DevTools
// connection itself: every request of the page (its document, scripts, CPU workers, the
// result it posts) to a made-up localhost origin is intercepted and answered from the local
// page server. localhost is a secure context, and the answers carry the server's COOP/COEP
// headers, so the page is cross-origin isolated on the device: SharedArrayBuffer works.

import { createServer } from 'node:net';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { UserError } from '../../errors.ts';

/** The browser at `url`: http(s)://host:port (its /json/version is asked) or a ws(s):// endpoint. */
export async function connectBrowser(url: string): Promise<Browser> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`--browser-url ${url}: not a URL (http://127.0.0.1:9222 or ws://…)`);
  }
  const ws = parsed.protocol === 'ws:' || parsed.protocol === 'wss:';
  if (!ws && parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UserError(`--browser-url ${url}: http(s):// or ws(s):// only`);
  try {
    return await puppeteer.connect(
      ws ? { browserWSEndpoint: url } : { browserURL: url, protocolTimeout: 180_000 },
    );
  } catch (e) {
    throw new UserError(
      `no browser answered at ${url} (${(e as Error).message.split('\n')[0]}): start one with --remote-debugging-port=9222, or for an Android phone on USB run adb forward tcp:9222 localabstract:chrome_devtools_remote`,
    );
  }
}

/** A browser elsewhere as its pages see it: what keys its tuned presets (lab/presets.ts). */
export interface RemoteDevice {
  userAgent: string;
  /** navigator.hardwareConcurrency. */
  cores: number;
}

/**
 * Ask the browser at `url` what its pages will say of their device (a blank page, opened and
 * closed), so that a run there finds the device's tuned preset before it starts.
 */
export async function remoteDevice(url: string): Promise<RemoteDevice> {
  const browser = await connectBrowser(url);
  try {
    const page = await browser.newPage();
    try {
      return await page.evaluate(() => ({
        userAgent: navigator.userAgent,
        cores: navigator.hardwareConcurrency,
      }));
    } finally {
      await page.close().catch(() => undefined);
    }
  } finally {
    await browser.disconnect().catch(() => undefined);
  }
}

/**
 * Answer every request `page` makes to a fresh localhost origin from `serverUrl` (the local page
 * server); the origin to open. Other requests go their own way (the page makes none).
 */
export async function servePageOverDevtools(page: Page, serverUrl: string): Promise<string> {
  const origin = `http://localhost:${await unusedPort()}`;
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (new URL(req.url()).origin !== origin) return void req.continue();
    // The page fails that request (its status line says so); an abort that fails too means the
    // page has gone, and nothing waits for the request any more.
    void answerFrom(serverUrl, req).catch(() => req.abort('failed').catch(() => undefined));
  });
  return origin;
}

async function answerFrom(serverUrl: string, req: HTTPRequest): Promise<void> {
  const u = new URL(req.url());
  const body = req.postData();
  const target = new URL(u.pathname + u.search, serverUrl);
  const res = await fetch(target, {
    method: req.method(),
    headers: asFromServer(req.headers(), target),
    ...(body !== undefined && { body }),
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  await req.respond({
    status: res.status,
    headers,
    body: Buffer.from(await res.arrayBuffer()),
  });
}

/**
 * The page's request headers as the local server's guard expects of its own page (guard.ts):
 * the page is this server's, reached through the DevTools connection, so its made-up origin
 * becomes the server's in Origin and Referer, and Host is the server's (fetch sets it).
 */
function asFromServer(headers: Record<string, string>, target: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (name === 'host') continue;
    if (name === 'origin') out[k] = target.origin;
    else if (name === 'referer') out[k] = new URL(new URL(v).pathname, target).href;
    else out[k] = v;
  }
  return out;
}

/**
 * A port nothing here listens on: the made-up origin must not reach a real server on this
 * machine, so that a request the interception missed fails here as it would on a phone.
 */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
