// The driver never closes a run's page while it is talking to it. Under WebDriver BiDi (Firefox)
// a puppeteer call in flight when its page closes can reject a promise of puppeteer's own that
// nobody waits for (BidiFrameRealm.transferHandle, behind $eval and click); Node then ended the
// CLI with a stack before a stopped run printed what it had. The race is injected here, not
// timed: a page that holds each call until the test lets it go, and that does what puppeteer
// does to a call it is closed under. The result arrives while a status read is in flight, as
// when Ctrl-C's Stop made the page post; the run must end with that result and nothing left
// rejecting.

import { join } from 'node:path';
import test from 'ava';
import type { Page } from 'puppeteer-core';
import { PageControl } from '../../src/engines/browser/page-control.ts';
import type { PageResult } from '../../src/engines/browser/page-data.ts';
import { followPage } from '../../src/engines/browser/run-browser.ts';
import type { WireRuns } from '../../src/engines/runner-protocol.ts';
import { UserError } from '../../src/errors.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { CORPUS_DIR } from '../litmus/kernel-tests.ts';

/** How long a call may take to arrive, however loaded the machine. */
const ARRIVAL_BOUND_MS = 60_000;

/** A call the page holds: let go, it answers (or fails with `error`). */
interface Held {
  name: string;
  release: () => void;
  fail: (error: Error) => void;
}

/**
 * A page that answers each call only when the test lets it go. The page functions run against
 * a stand-in document (a status line; a Stop button that counts presses). Closed under a call
 * in flight, it rejects a promise nobody waits for, as puppeteer's transferHandle does, and
 * the call; a call after close fails as on a closed page.
 */
class HeldPage {
  readonly held: Held[] = [];
  closed = false;
  closedUnder = 0;
  callsAfterClose = 0;
  stopPresses = 0;
  status = { state: 'running', text: '1,000 of 2,000,000,000 runs' };

  evaluate<T>(fn: () => T): Promise<T> {
    if (this.closed) {
      this.callsAfterClose++;
      return Promise.reject(new Error('no such frame'));
    }
    return new Promise<T>((resolve, reject) => {
      const call: Held = {
        name: /stop/.test(fn.toString()) ? 'stop' : 'status',
        release: () => {
          this.held.splice(this.held.indexOf(call), 1);
          resolve(this.inDocument(fn));
        },
        fail: (error) => {
          this.held.splice(this.held.indexOf(call), 1);
          reject(error);
        },
      };
      this.held.push(call);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const call of [...this.held]) {
      this.closedUnder++;
      void Promise.reject(new Error('no such frame (a promise nobody awaits)'));
      call.fail(new Error('no such frame'));
    }
  }

  /** Waits until a call of `name` is held, and returns it. */
  async heldCall(name: string): Promise<Held> {
    const start = Date.now();
    for (;;) {
      const call = this.held.find((c) => c.name === name);
      if (call) return call;
      if (Date.now() - start > ARRIVAL_BOUND_MS) throw new Error(`no ${name} call came`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private inDocument<T>(fn: () => T): T {
    const status = { dataset: { state: this.status.state }, textContent: this.status.text };
    const stop = { click: () => this.stopPresses++ };
    const g = globalThis as { document?: unknown };
    g.document = { getElementById: (id: string) => ({ status, stop })[id] ?? null };
    try {
      return fn();
    } finally {
      delete g.document;
    }
  }
}

/** Rejections that no one handled while `body` ran (and one turn of the event loop after). */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onUnhandled = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body();
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return seen;
}

const sb = loadLitmus(join(CORPUS_DIR, 'SB+poonceonces.litmus'));
const job = { test: sb, settings: { runs: 2_000_000_000, seed: 1 }, memory: 'x86' as const };
const where = { version: 'firefox/153.8.0esr', remote: false };

/** What the page posts when Stop is pressed: nothing counted yet, partial. */
const stoppedResult = {
  test: sb.name,
  hw: { histogram: {}, runs: 0, partial: true, stoppedBy: 'signal' } as unknown as WireRuns,
  device: {
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0',
    hardwareConcurrency: 2,
  },
} satisfies PageResult;

test.serial(
  'the result of a stopped run arrives during a status read: the page closes after it, nothing rejects unhandled',
  async (t) => {
    t.timeout(120_000);
    const page = new HeldPage();
    const control = new PageControl(page as unknown as Page);
    const interrupt = new AbortController();
    let deliver!: (r: PageResult) => void;
    const posted = new Promise<PageResult>((resolve) => {
      deliver = resolve;
    });
    const unhandled = await unhandledDuring(async () => {
      const following = followPage(control, posted, job, { signal: interrupt.signal }, where);
      const read = await page.heldCall('status');
      // Ctrl-C: Stop is pressed (it waits behind the read), and the page posts what it has.
      interrupt.abort();
      deliver(stoppedResult);
      const runs = await following;
      t.true(runs.partial);
      t.is(runs.runs, 0);
      const closing = control.close();
      t.false(page.closed, 'the page is not closed under the status read');
      read.release();
      await closing;
    });
    t.deepEqual(unhandled, []);
    t.true(page.closed);
    t.is(page.closedUnder, 0);
    t.is(page.callsAfterClose, 0);
    // Stop waited behind the read, and closing came first: it was not pressed on a closing page.
    t.is(page.stopPresses, 0);
  },
);

test.serial('Stop pressed on a signal reaches the page, one call at a time', async (t) => {
  t.timeout(120_000);
  const page = new HeldPage();
  const control = new PageControl(page as unknown as Page);
  const interrupt = new AbortController();
  let deliver!: (r: PageResult) => void;
  const posted = new Promise<PageResult>((resolve) => {
    deliver = resolve;
  });
  const following = followPage(control, posted, job, { signal: interrupt.signal }, where);
  const read = await page.heldCall('status');
  interrupt.abort();
  t.is(page.held.length, 1, 'Stop waits for the read in flight');
  read.release();
  (await page.heldCall('stop')).release();
  t.is(page.stopPresses, 1);
  deliver(stoppedResult);
  t.true((await following).partial);
  await control.close();
  t.is(page.closedUnder, 0);
});

test.serial('a page that fails before the run stops is a fault said in one line', async (t) => {
  t.timeout(120_000);
  const page = new HeldPage();
  const control = new PageControl(page as unknown as Page);
  const following = followPage(control, new Promise<PageResult>(() => undefined), job, {}, where);
  (await page.heldCall('status')).fail(new Error('Protocol error: Target closed\n    at stack'));
  const error = await t.throwsAsync(following, { instanceOf: UserError });
  t.is(error?.message, 'the page stopped answering: Protocol error: Target closed');
  await control.close();
});

test.serial('after close, reads answer nothing and do not reach the page', async (t) => {
  const page = new HeldPage();
  const control = new PageControl(page as unknown as Page);
  await control.close();
  t.is(await control.status(), undefined);
  await control.pressStop();
  t.is(page.callsAfterClose, 0);
  t.is(page.stopPresses, 0);
});
