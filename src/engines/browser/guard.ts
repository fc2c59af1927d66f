// Who may talk to `smplab serve`: it trusts no one. Any web page the user visits can make the
// browser send requests to a local port, so every request is checked before it is handled:
// - Host must name this server: a loopback name (localhost, 127.x.x.x, [::1]) with its port.
//   A page on another site that rebinds its DNS name to 127.0.0.1 still sends its own name, and
//   is refused.
// - A POST must come from the page itself: an Origin (or Sec-Fetch-Site) of another site is
//   refused, and the body must be JSON (a cross-site form or text/plain POST cannot be).
// - Served to the network (--host 0.0.0.0), a request by any other name must hold a session:
//   serve prints an address with a one-time token; the first device to open it gets a session
//   cookie (HttpOnly, SameSite=Strict) and the token is spent; serve then prints who took it
//   and a fresh address for the next device. From this machine (or a phone behind
//   `adb reverse`), a loopback name needs no token.
// It only decides; server.ts sends the answer. Nothing a client sent reaches the terminal
// unescaped (oneLine).

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { escapeControls } from '../../errors.ts';

export type Decision =
  | { ok: true; setCookie?: string; redirect?: string }
  | { ok: false; status: number; message: string };

export interface GuardOptions {
  /** Served to other devices (a non-loopback --host): tokens and sessions. */
  network: boolean;
  /** A token was spent by a device: print who, and the next address. */
  onClaim?: (userAgent: string, nextToken: string) => void;
}

const COOKIE = 'smplab_session';
const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;
const LOOPBACK_PEER = /^(127\.|::1$|::ffff:127\.)/;

export class RequestGuard {
  private readonly tokens = new Set<string>();
  private readonly sessions = new Set<string>();

  constructor(private readonly opts: GuardOptions) {
    if (opts.network) this.tokens.add(newSecret());
  }

  /** The token the next device's address carries (network mode). */
  get token(): string | undefined {
    return [...this.tokens][0];
  }

  /** `port`: the one this server listens on; `tls`: whether it serves HTTPS. */
  check(req: IncomingMessage, port: number, tls: boolean): Decision {
    const host = hostOf(req.headers.host, tls ? 443 : 80);
    if (!host || host.port !== port)
      return refuse(421, 'this request was not meant for this server (Host)');
    // A loopback name from a loopback peer: this machine, or a phone behind adb reverse. (A
    // device on the network can write any Host; it cannot come from 127.0.0.1.)
    const loopback =
      LOOPBACK_HOST.test(host.name) && LOOPBACK_PEER.test(req.socket.remoteAddress ?? '');
    if (req.method === 'POST') {
      const origin = req.headers.origin;
      if (origin !== undefined && !sameOrigin(origin, req.headers.host!))
        return refuse(403, 'results are taken from the page served here only (Origin)');
      if (req.headers['sec-fetch-site'] === 'cross-site')
        return refuse(403, 'results are taken from the page served here only (Sec-Fetch-Site)');
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
        return refuse(415, 'a result is posted as application/json');
    }
    if (loopback) return { ok: true };
    if (!this.opts.network) return refuse(421, 'this server answers to localhost only (Host)');
    if (this.sessions.has(cookieOf(req.headers.cookie))) return { ok: true };
    return this.claim(req);
  }

  /** A first visit with a token: the token is spent for a session cookie. */
  private claim(req: IncomingMessage): Decision {
    const url = new URL(req.url ?? '/', 'http://x');
    const token = url.searchParams.get('token') ?? '';
    if (req.method !== 'GET' || !this.tokens.delete(token))
      return refuse(
        403,
        'open the address smplab serve printed (with its token); each one lets one device in',
      );
    const session = newSecret();
    this.sessions.add(session);
    const next = newSecret();
    this.tokens.add(next);
    this.opts.onClaim?.(String(req.headers['user-agent'] ?? 'unknown browser'), next);
    url.searchParams.delete('token');
    return {
      ok: true,
      setCookie: `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
      redirect: `${url.pathname}${url.search}`,
    };
  }
}

const refuse = (status: number, message: string): Decision => ({ ok: false, status, message });

const newSecret = (): string => randomBytes(16).toString('hex');

/** `localhost:8380` → { name, port }; the port of a Host without one is the scheme's. */
function hostOf(
  header: string | undefined,
  defaultPort: number,
): { name: string; port: number } | undefined {
  const m = header && /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(header);
  if (!m) return undefined;
  return { name: m[1]!, port: m[2] ? Number(m[2]) : defaultPort };
}

function sameOrigin(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

function cookieOf(header: string | undefined): string {
  for (const part of (header ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return v;
  }
  return '';
}

/** A client's text as one terminal line: control bytes, line breaks and bidi controls escaped. */
export const oneLine = (text: string): string =>
  escapeControls(text).replace(
    /[\n\t\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
