// The per-upstream notification queue: bounded, coalescing, and honest about what it dropped.
import { describe, expect, it } from 'vitest';
import type { ServerNotification } from '@modelcontextprotocol/server';
import { boundedProgressPerTurn, NotificationQueue } from '../../main/core/gateway/notification-queue.ts';
import { eventually } from '../support/gateway.ts';

const log = (i: number): ServerNotification => ({ method: 'notifications/message', params: { level: 'info', data: `m${i}` } });
const updated = (uri: string): ServerNotification => ({ method: 'notifications/resources/updated', params: { uri } });

describe('NotificationQueue', () => {
  it('drops log messages beyond its bound, coalesces resource updates, and says how many it dropped', async () => {
    const delivered: ServerNotification[] = [];
    const queue = new NotificationQueue('noisy', async (n) => void delivered.push(n), { maxPending: 100, batch: 10 });
    for (let i = 0; i < 1000; i++) queue.push(log(i));
    for (let i = 0; i < 50; i++) queue.push(updated(i % 2 ? 'file:///a' : 'file:///b'));
    expect(queue.pending).toBe(102);
    await eventually(() => queue.pending === 0 && delivered.length === 103, 5_000, 'the queue to drain');
    expect(queue.counters).toEqual({ received: 1050, relayed: 102, dropped: 900, coalesced: 48 });
    const notes = delivered.filter((n) => (n.params as { logger?: string }).logger === 'canopy');
    expect(notes).toHaveLength(1);
    expect(notes[0].params).toMatchObject({ level: 'warning', data: expect.stringContaining("900 messages from server 'noisy' dropped") });
    // The first messages are kept in order; resource updates are delivered once per URI.
    expect(delivered.filter((n) => n.method === 'notifications/message').slice(0, 3).map((n) => (n.params as { data?: unknown }).data)).toEqual(['m0', 'm1', 'm2']);
    expect(delivered.filter((n) => n.method === 'notifications/resources/updated')).toHaveLength(2);
  });

  it('relays every progress report at a human pace, and a tight loop as its first reports plus the latest of the turn', async () => {
    const sent: number[] = [];
    const relay = boundedProgressPerTurn((p) => sent.push(p.progress));
    for (let i = 1; i <= 3; i++) relay({ progress: i });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([1, 2, 3]);
    sent.length = 0;
    for (let i = 1; i <= 1000; i++) relay({ progress: i });
    await new Promise((resolve) => setImmediate(resolve));
    relay({ progress: 1001 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 1000, 1001]);
  });
});
