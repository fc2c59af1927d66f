// The driver's hands on the open page of a run: it reads the status line and presses Stop, one
// interaction at a time, and closes the page only once the interaction in flight has settled;
// none starts after that. It does not follow the run (run-browser.ts does).
//
// Why: puppeteer's element calls ($eval, click) move an element handle between the page's two
// realms, and under WebDriver BiDi (Firefox) puppeteer 24 and 25 leave one promise of that move
// unawaited (BidiFrameRealm.transferHandle awaits the old handle's disposal before the adopted
// one). A page closed while such a call was in flight rejected that promise with nobody to
// catch it — `no such frame` — and Node ended the process with a stack before the stopped run
// could print what it collected. So each interaction here is one script evaluated in the page
// (a single protocol call, awaited), and closing waits for it.

import type { Page } from 'puppeteer-core';
import { UserError } from '../../errors.ts';

/** The page's status line (web/app.ts): its state (`running`, `error`, …) and its text. */
export interface PageStatus {
  state: string;
  text: string;
}

export class PageControl {
  /** The interaction in flight (settled when there is none); each new one waits for it. */
  private last: Promise<unknown> = Promise.resolve();
  private closing = false;

  constructor(private readonly page: Page) {}

  /** The status line; undefined once the page is closing. */
  status(): Promise<PageStatus | undefined> {
    return this.interact(() =>
      this.page.evaluate(() => {
        const el = document.getElementById('status');
        return { state: el?.dataset.state ?? '', text: el?.textContent ?? '' };
      }),
    );
  }

  /** Presses Stop (a disabled one, before the page's run has begun, does nothing). */
  async pressStop(): Promise<void> {
    await this.interact(() =>
      this.page.evaluate(() => {
        (document.getElementById('stop') as HTMLButtonElement | null)?.click();
      }),
    );
  }

  /** Closes the page once the interaction in flight has settled; no interaction starts after. */
  async close(): Promise<void> {
    this.closing = true;
    await this.last;
    await this.page.close().catch(() => undefined);
  }

  /**
   * Runs `act` after the interaction before it. Once closing has begun it is not run, and a
   * failure of one that was already in flight is the page going away, not an error: both give
   * undefined. A failure before that (the browser crashed or hung up) is the run's failure.
   */
  private interact<T>(act: () => Promise<T>): Promise<T | undefined> {
    const run = async () => {
      if (this.closing) return undefined;
      try {
        return await act();
      } catch (e) {
        if (this.closing) return undefined;
        throw fault('the page stopped answering', e);
      }
    };
    const next = this.last.then(run, run);
    this.last = next.catch(() => undefined);
    return next;
  }
}

/**
 * `act` (a call to the browser), a failure of which is a fault of the browser (it crashed, hung
 * up, timed out), said in one line — not our bug with a stack. A UserError passes as it is.
 */
export async function asFault<T>(what: string, act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (e) {
    throw fault(what, e);
  }
}

const fault = (what: string, e: unknown): UserError =>
  e instanceof UserError
    ? e
    : new UserError(`${what}: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
