// `smplab serve` trusts no one: a request that names another host (DNS rebinding) or comes
// from another site's page is refused; a posted body is validated (negative runs, counts above
// the runs, hardwareConcurrency -1, flags as a string: 400 with the reason, never a 500); a
// client's user agent reaches the terminal escaped; 300 results posted at once are 300 files;
// served to the network, another device needs the one-time token serve printed, which is spent
// for a session cookie, and serve prints who took it and the next address.

import { request as httpRequest } from 'node:http';
import os from 'node:os';
import test from 'ava';
import { resultFiles, type Served, serve } from './smplab.ts';

const UA = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with the headers as given (fetch would not send a Host of our choosing). */
function send(
  url: URL,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const hw = (runs: number, counts: [number, number]) => ({
  histogram: {
    '0:r0=0; 1:r0=0;': { values: [0, 0], count: counts[0] },
    '0:r0=1; 1:r0=0;': { values: [1, 0], count: counts[1] },
  },
  runs,
  elapsedMs: 1,
  partial: false,
  memory: 'portable',
});
const body = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    test: 'SB+poonceonces',
    hw: hw(10, [3, 7]),
    device: { userAgent: UA, hardwareConcurrency: 8 },
    ...over,
  });
const post = (s: Served, text: string, headers: Record<string, string> = {}) =>
  send(new URL('/api/result', s.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: text,
  });

test('another host, another site, a form post: refused', async (t) => {
  const s = await serve(t);
  const rebound = await send(s.url, { headers: { Host: `evil.example:${s.url.port}` } });
  t.is(rebound.status, 421);
  t.regex(rebound.body, /answers to localhost only \(Host\)/);
  t.is((await send(s.url)).status, 200, 'the page itself');

  const crossSite = await post(s, body(), { Origin: 'https://evil.example' });
  t.is(crossSite.status, 403);
  const form = await send(new URL('/api/result', s.url), {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: body(),
  });
  t.is(form.status, 415);
  const fetchSite = await post(s, body(), { 'Sec-Fetch-Site': 'cross-site' });
  t.is(fetchSite.status, 403);
  t.deepEqual(resultFiles(s.results), [], 'nothing was saved');

  const ok = await post(s, body(), { Origin: s.url.origin });
  t.is(ok.status, 200, ok.body);
  t.is(resultFiles(s.results).length, 1);
});

test('bodies are validated: each mistake is a 400 with its reason, never a 500', async (t) => {
  const s = await serve(t);
  const cases: [string, string, RegExp][] = [
    ['negative runs', body({ hw: hw(-5, [0, 0]) }), /hw.runs must be a whole number, 0 or more/],
    ['counts above runs', body({ hw: hw(4, [3, 7]) }), /counts 10 runs, more than hw.runs \(4\)/],
    [
      'hardwareConcurrency -1',
      body({ device: { userAgent: UA, hardwareConcurrency: -1 } }),
      /hardwareConcurrency must be 1 or more/,
    ],
    ['flags as a string', body({ flags: '--jitless' }), /flags must be a list of strings/],
    [
      'a run field of the wrong type',
      body({ hw: { ...hw(10, [3, 7]), threads: '<b>' } }),
      /hw.threads/,
    ],
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /not a JSON object/],
  ];
  for (const [what, text, reason] of cases) {
    const r = await post(s, text);
    t.is(r.status, 400, `${what}: ${r.body}`);
    t.regex(r.body, reason, what);
  }
  t.deepEqual(resultFiles(s.results), []);
});

test("a client's bytes reach the terminal escaped; 300 posts are 300 files", async (t) => {
  t.timeout(180_000);
  const s = await serve(t);
  const hostile = 'Mozilla/5.0 (X11; \u001b[2J\u001b]0;pwned\u0007 Linux\nx86_64) Firefox/128.0';
  const r = await post(s, body({ device: { userAgent: hostile, hardwareConcurrency: 4 } }));
  t.is(r.status, 200, r.body);
  const posts = await Promise.all(Array.from({ length: 300 }, () => post(s, body())));
  t.deepEqual([...new Set(posts.map((p) => p.status))], [200]);
  t.is(resultFiles(s.results).length, 301);
  // Each run's line, the hostile one's escaped: 301 lines naming their file.
  await s.until(/(?:^SB\+poonceonces on .*\.json\n){301}/m);
  t.false(
    s.out().includes('\u001b') || s.out().includes('\u0007'),
    'no escape sequence reached the terminal',
  );
  t.regex(s.out(), /\\x1b\[2J/);
});

test('served to the network: a device needs the printed one-time token', async (t) => {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (!address) {
    t.log('SKIPPED: this machine has no network address besides loopback');
    t.pass();
    return;
  }
  const s = await serve(t, '--host', '0.0.0.0');
  const printed = new RegExp(
    `http://${address.replace(/\./g, '\\.')}:${s.url.port}/\\?token=([0-9a-f]{32})`,
  );
  const token = (await s.until(printed))[1];
  t.truthy(token, s.out());
  const base = new URL(`http://${address}:${s.url.port}/`);
  const without = await send(base);
  t.is(without.status, 403);
  t.regex(without.body, /open the address smplab serve printed/);
  const forged = await send(base, { headers: { Host: `localhost:${s.url.port}` } });
  t.is(forged.status, 403, 'a loopback Host from the network is not this machine');

  const first = await send(new URL(`/?test=SB%2Bpoonceonces&token=${token}`, base), {
    // A header cannot carry ESC; C1's one-byte CSI (0x9b) is a terminal escape too.
    headers: { 'User-Agent': `${UA}\u009b31m` },
  });
  t.is(first.status, 302);
  t.is(first.headers.location, '/?test=SB%2Bpoonceonces');
  const cookie = String(first.headers['set-cookie']).split(';')[0]!;
  t.regex(cookie, /^smplab_session=[0-9a-f]{32}$/);
  t.is((await send(base, { headers: { Cookie: cookie } })).status, 200);
  t.is((await send(new URL(`/?token=${token}`, base))).status, 403, 'a token is spent once');
  await s.until(/a device took its token .*\n/);
  t.regex(
    s.out(),
    /a device took its token \(Mozilla.*\\x9b31m\); the next one: http:\/\/\S+\?token=[0-9a-f]{32}/,
  );
  t.false(s.out().includes('\u009b'), 'no escape sequence reached the terminal');
  t.is((await send(s.url)).status, 200, 'this machine, by localhost, needs no token');
});
