// What an upstream notifies on its way to downstream sessions, bounded per upstream so one noisy
// server cannot take the gateway's time or memory from the others: resources/updated coalesce per
// URI, log messages (and anything else) beyond a bound are dropped and counted, and the drops are
// told once per burst as a warning log message. The queue drains a batch per event-loop turn, so
// calls to other servers are served in between.
import type { Progress, ServerNotification } from '@modelcontextprotocol/server';

export interface NotificationCounters {
  received: number;
  /** Handed on to the sessions (the "N messages dropped" notes not counted). */
  relayed: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Merged into a pending notification of the same kind (resources/updated for the same URI). */
  coalesced: number;
}

export interface NotificationQueueOptions {
  /** Most messages waiting at once (default 500). */
  maxPending?: number;
  /** Delivered per event-loop turn (default 50). */
  batch?: number;
}

const DEFAULT_MAX_PENDING = 500;
const DEFAULT_BATCH = 50;

export class NotificationQueue {
  readonly counters: NotificationCounters = { received: 0, relayed: 0, dropped: 0, coalesced: 0 };
  private readonly messages: ServerNotification[] = [];
  /** Pending resources/updated by URI: only "it changed" matters, not how often. */
  private readonly updated = new Map<string, ServerNotification>();
  private droppedUntold = 0;
  private draining = false;
  private readonly maxPending: number;
  private readonly batch: number;

  constructor(
    private readonly server: string,
    private readonly deliver: (notification: ServerNotification) => Promise<void>,
    options: NotificationQueueOptions = {},
  ) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.batch = options.batch ?? DEFAULT_BATCH;
  }

  get pending(): number {
    return this.messages.length + this.updated.size;
  }

  push(notification: ServerNotification): void {
    this.counters.received++;
    const uri = notification.method === 'notifications/resources/updated' ? (notification.params as { uri?: unknown } | undefined)?.uri : undefined;
    if (typeof uri === 'string') {
      if (this.updated.delete(uri)) this.counters.coalesced++;
      this.updated.set(uri, notification);
    } else if (this.messages.length >= this.maxPending) {
      this.counters.dropped++;
      this.droppedUntold++;
    } else this.messages.push(notification);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending > 0 || this.droppedUntold > 0) {
        const batch = [...this.updated.values()];
        this.updated.clear();
        batch.push(...this.messages.splice(0, this.batch));
        for (const notification of batch) {
          await this.deliver(notification).catch(() => {});
          this.counters.relayed++;
        }
        if (this.messages.length === 0 && this.droppedUntold > 0) {
          const note = this.droppedNote(this.droppedUntold);
          this.droppedUntold = 0;
          await this.deliver(note).catch(() => {});
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private droppedNote(count: number): ServerNotification {
    return {
      method: 'notifications/message',
      params: {
        level: 'warning',
        logger: 'canopy',
        data: `${count} messages from server '${this.server}' dropped: it sent more than ${this.maxPending} faster than they could be relayed`,
      },
    };
  }
}

/** Progress reports of one call relayed as they come in one event-loop turn; past this many, only the turn's latest. */
const PROGRESS_PER_TURN = 8;

/**
 * Progress of one call: a client sees every report of a server that reports at a human pace, while a
 * server reporting in a tight loop costs at most PROGRESS_PER_TURN notifications plus the latest per
 * turn, not one per report.
 */
export function boundedProgressPerTurn(send: (progress: Progress) => void): (progress: Progress) => void {
  let sentThisTurn = 0;
  let latest: Progress | undefined;
  let turnEnds = false;
  return (progress) => {
    if (!turnEnds) {
      turnEnds = true;
      setImmediate(() => {
        turnEnds = false;
        sentThisTurn = 0;
        const held = latest;
        latest = undefined;
        if (held) send(held);
      });
    }
    if (sentThisTurn < PROGRESS_PER_TURN) {
      sentThisTurn += 1;
      send(progress);
    } else latest = progress;
  };
}
