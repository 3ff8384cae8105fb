// A bounded log of lines (a server's stderr, or an HTTP connection's events): the newest `capacity`
// lines, each cut to `maxLineLength`, so a chatty or binary-spewing child cannot grow Canopy's memory.

export interface LogRingOptions {
  capacity?: number;
  maxLineLength?: number;
}

export class LogRing {
  private readonly capacity: number;
  private readonly maxLineLength: number;
  private readonly lines: string[] = [];
  /** Lines ever written; a mark taken from it later selects "the lines since then". */
  private written = 0;

  constructor(options: LogRingOptions = {}) {
    this.capacity = options.capacity ?? 500;
    this.maxLineLength = options.maxLineLength ?? 2000;
  }

  push(line: string): string {
    const stored = line.length > this.maxLineLength ? `${line.slice(0, this.maxLineLength)}… [truncated]` : line;
    this.lines.push(stored);
    if (this.lines.length > this.capacity) this.lines.shift();
    this.written++;
    return stored;
  }

  all(): string[] {
    return [...this.lines];
  }

  mark(): number {
    return this.written;
  }

  /** The last `max` lines written after `mark` (those still held). */
  since(mark: number, max: number): string[] {
    const count = Math.min(this.written - mark, this.lines.length, max);
    return count > 0 ? this.lines.slice(this.lines.length - count) : [];
  }
}

/**
 * Splits a byte stream into lines. Partial lines wait for their end, but never beyond
 * `maxPending` characters (a child writing megabytes without a newline is cut into pieces).
 */
export class LineSplitter {
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxPending = 64 * 1024,
  ) {}

  write(chunk: string): void {
    this.pending += chunk;
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      this.onLine(this.pending.slice(0, newline).replace(/\r$/, ''));
      this.pending = this.pending.slice(newline + 1);
    }
    if (this.pending.length > this.maxPending) {
      this.onLine(this.pending);
      this.pending = '';
    }
  }

  end(): void {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}
