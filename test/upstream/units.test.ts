// The small pure pieces: backoff, the pager, the bounded log, header precedence, relayed errors.
import { describe, expect, it } from 'vitest';
import { ProtocolError, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { backoffDelay, DEFAULT_BACKOFF, withJitter } from '../../main/core/upstream/backoff.ts';
import { collectPages } from '../../main/core/upstream/catalog.ts';
import { upstreamHeaders } from '../../main/core/upstream/http-transport.ts';
import { relayable } from '../../main/core/upstream/json-rpc-error.ts';
import { LineSplitter, LogRing } from '../../main/core/upstream/log-ring.ts';

describe('backoffDelay', () => {
  it('doubles from 1 s to a 60 s cap', () => {
    expect([0, 1, 2, 3, 5, 6, 7, 100].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF))).toEqual([
      1_000, 2_000, 4_000, 8_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('jitters between half the delay and the delay, never above the cap', () => {
    expect(withJitter(60_000, () => 0)).toBe(30_000);
    expect(withJitter(60_000, () => 0.999_999)).toBe(60_000);
    for (let attempt = 0; attempt < 200; attempt++) {
      const delay = withJitter(backoffDelay(attempt, DEFAULT_BACKOFF));
      expect(delay).toBeGreaterThanOrEqual(500);
      expect(delay).toBeLessThanOrEqual(60_000);
    }
  });
});

describe('collectPages', () => {
  it('follows nextCursor to the last page', async () => {
    const pages: Record<string, { items: number[]; nextCursor?: string }> = {
      start: { items: [1, 2], nextCursor: 'b' },
      b: { items: [3], nextCursor: 'c' },
      c: { items: [4, 5] },
    };
    const cursors: (string | undefined)[] = [];
    const items = await collectPages(async (cursor) => {
      cursors.push(cursor);
      return pages[cursor ?? 'start'];
    });
    expect(items).toEqual([1, 2, 3, 4, 5]);
    expect(cursors).toEqual([undefined, 'b', 'c']);
  });

  it('stops at a repeated cursor and at the page limit', async () => {
    let calls = 0;
    const looping = await collectPages(async () => ({ items: [++calls], nextCursor: 'same' }));
    expect(looping).toEqual([1, 2]);
    let n = 0;
    const endless = await collectPages(async () => ({ items: [n], nextCursor: String(++n) }), 10);
    expect(endless).toHaveLength(10);
  });
});

describe('LogRing', () => {
  it('keeps the newest lines, truncates long ones, and answers "since a mark"', () => {
    const ring = new LogRing({ capacity: 3, maxLineLength: 5 });
    ring.push('one');
    const mark = ring.mark();
    for (const line of ['two', 'three', 'four-and-more']) ring.push(line);
    expect(ring.all()).toEqual(['two', 'three', 'four-… [truncated]']);
    expect(ring.since(mark, 2)).toEqual(['three', 'four-… [truncated]']);
    expect(ring.since(ring.mark(), 5)).toEqual([]);
  });

  it('splits chunks into lines and bounds a line without a newline', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 8);
    splitter.write('a\r\nb');
    splitter.write('c\nd');
    splitter.write('0123456789');
    splitter.write('tail');
    splitter.end();
    expect(lines).toEqual(['a', 'bc', 'd0123456789', 'tail']);
  });
});

describe('upstreamHeaders', () => {
  it('turns bearer_token into Authorization: Bearer', () => {
    expect(upstreamHeaders({ bearer_token: 'abc' })).toEqual({ headers: { Authorization: 'Bearer abc' }, warnings: [] });
  });

  it('adds custom headers', () => {
    expect(upstreamHeaders({ bearer_token: 'abc', headers: { 'X-Api-Key': 'k' } })).toEqual({
      headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k' },
      warnings: [],
    });
  });

  it('lets headers.Authorization (any letter case) win over bearer_token, with a warning', () => {
    for (const name of ['Authorization', 'authorization', 'AUTHORIZATION']) {
      expect(upstreamHeaders({ bearer_token: 'abc', headers: { [name]: 'token xyz' } })).toEqual({
        headers: { [name]: 'token xyz' },
        warnings: [`headers.${name} overrides bearer_token`],
      });
    }
  });

  it('needs no warning without a bearer_token', () => {
    expect(upstreamHeaders({ headers: { Authorization: 'token xyz' } })).toEqual({ headers: { Authorization: 'token xyz' }, warnings: [] });
    expect(upstreamHeaders({})).toEqual({ headers: {}, warnings: [] });
  });
});

describe('relayable', () => {
  it("passes an upstream's JSON-RPC error on as it came, and gives the SDK's own timeouts their JSON-RPC code", () => {
    expect(relayable(new ProtocolError(-32602, 'bad city', { city: 'x' }))).toMatchObject({ code: -32602, message: 'bad city', data: { city: 'x' } });
    expect(relayable(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: 5 }))).toMatchObject({ code: -32001, message: 'Request timed out', data: { timeout: 5 } });
    expect(relayable(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'))).toMatchObject({ code: -32000, message: 'Connection closed' });
    const other = new Error('something else');
    expect(relayable(other)).toBe(other);
  });
});
