// A progress bar on the terminal for runs longer than a second. It draws on stderr, so stdout
// stays clean for --json and for pipes, and it draws nothing at all when stderr is not a TTY
// (CI logs, redirects).

const WIDTH = 30;
/** Do not draw for runs that finish sooner than this: a flash of a bar is noise. */
const SHOW_AFTER_MS = 1000;
/** Redraw at most this often. */
const REDRAW_MS = 100;

export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Show `fraction` (0..1) done, with an optional note such as "1,200,000 runs". */
  update(fraction: number, note = ''): void {
    const now = Date.now();
    if (!this.stream.isTTY || now - this.started < SHOW_AFTER_MS || now - this.lastDraw < REDRAW_MS)
      return;
    this.lastDraw = now;
    const f = Math.min(1, Math.max(0, fraction));
    const filled = Math.round(f * WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}`;
    this.stream.write(
      `\r${this.label} [${bar}] ${(f * 100).toFixed(0).padStart(3)}% ${note}\x1b[K`,
    );
    this.drawn = true;
  }

  /** Erase the bar so the report starts on a clean line. */
  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
