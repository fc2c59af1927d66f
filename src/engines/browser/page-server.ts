// `smplab serve`: a local HTTP server for the browser runner. Every response is cross-origin
// isolated (COOP same-origin, COEP require-corp): without it a page has no SharedArrayBuffer.
// It serves web/ (the page), the bundled browser code, the chosen tests with their model
// verdicts, and takes results back (POST /api/result), handing each to `onResult`. No file
// outside web/ is served; nothing here is fetched from another origin. Every request passes
// the guard first (guard.ts: Host, Origin, and on the network a one-time token).

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { UserError } from '../../errors.ts';
import { PACKAGE_ROOT } from '../../package-root.ts';
import { bundleBrowserCode } from './bundle.ts';
import { RequestGuard } from './guard.ts';
import { type PageResult, type PageTest, parsePageResult } from './page-data.ts';

/** The largest result body accepted (a histogram of a few thousand states). */
export const MAX_RESULT_BYTES = 1 << 20;

const STATIC = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
} as const;

export interface ServeOptions {
  tests: PageTest[];
  host: string;
  /** 0: any free port. */
  port: number;
  /**
   * PEM certificate and key: serve HTTPS. A browser gives a page SharedArrayBuffer only in a
   * secure context — localhost, or HTTPS — so a phone on the network needs this (or adb reverse).
   */
  tls?: { cert: string; key: string };
  /** A result the page posted; returns where it was saved. */
  onResult(result: PageResult): Promise<string> | string;
  /** Network mode (guard.ts): a device spent a token; `next` is the next one. */
  onClaim?: (userAgent: string, next: string) => void;
}

export interface RunningServer {
  url: string;
  /** The token of the next device's address, when served to the network. */
  token(): string | undefined;
  close(): Promise<void>;
}

/** Listening on something other than loopback: other devices reach it, with a token. */
const onNetwork = (host: string): boolean => !/^(localhost|127(?:\.\d+){3}|::1)$/i.test(host);

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const code = await bundleBrowserCode();
  const guard = new RequestGuard({ network: onNetwork(opts.host), onClaim: opts.onClaim });
  let port = 0;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const decision = guard.check(req, port, opts.tls !== undefined);
    if (!decision.ok) return send(res, decision.status, 'text/plain', decision.message);
    if (decision.redirect) {
      res.writeHead(302, { Location: decision.redirect, 'Set-Cookie': decision.setCookie ?? '' });
      return void res.end();
    }
    handle(req, res, opts, code).catch((e: unknown) => send(res, 500, 'text/plain', String(e)));
  };
  const server = opts.tls ? createTlsServer(opts.tls, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  port = (server.address() as AddressInfo).port;
  const shown = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${shown.includes(':') ? `[${shown}]` : shown}:${port}/`,
    token: () => guard.token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  opts: ServeOptions,
  code: Map<string, string>,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (req.method === 'GET' && path in STATIC) {
    const [file, type] = STATIC[path as keyof typeof STATIC];
    return send(res, 200, type, readFileSync(join(PACKAGE_ROOT, 'web', file)));
  }
  if (req.method === 'GET' && code.has(path))
    return send(res, 200, 'text/javascript; charset=utf-8', code.get(path)!);
  if (req.method === 'GET' && path === '/api/tests')
    return send(res, 200, 'application/json', JSON.stringify(opts.tests));
  if (req.method === 'POST' && path === '/api/result') {
    const body = await readBody(req);
    let parsed: PageResult | string;
    try {
      parsed = parsePageResult(JSON.parse(body));
    } catch {
      parsed = 'the body is not JSON';
    }
    if (typeof parsed === 'string') return send(res, 400, 'text/plain', parsed);
    if (!opts.tests.some((t) => t.name === (parsed as PageResult).test))
      return send(res, 400, 'text/plain', `no test ${parsed.test} is served here`);
    let saved: string;
    try {
      saved = await opts.onResult(parsed);
    } catch (e) {
      // A result that does not fit its test (UserError): the page's mistake, said to the page.
      if (!(e instanceof UserError)) throw e;
      return send(res, 400, 'text/plain', e.message);
    }
    return send(res, 200, 'application/json', JSON.stringify({ saved }));
  }
  send(res, 404, 'text/plain', `not found: ${path}`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_RESULT_BYTES) {
        reject(new Error(`a result body over ${MAX_RESULT_BYTES} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Every response cross-origin isolated: COOP and COEP make SharedArrayBuffer available. */
function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
