import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startProgress } from '../../main/cli/progress.ts';

describe('progress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function sink() {
    const writes: string[] = [];
    return { writes, stream: { write: (text: string) => writes.push(text) } };
  }

  it('on a terminal: a spinner redrawn in place, cleared on stop', () => {
    const { writes, stream } = sink();
    const progress = startProgress(stream, true, 'waiting');
    vi.advanceTimersByTime(250);
    progress.stop();
    vi.advanceTimersByTime(1000);
    expect(writes.length).toBe(4);
    // eslint-disable-next-line no-control-regex -- the terminal's escape sequences are what is tested
    expect(writes[0]).toMatch(/^\r\x1b\[K⠋ waiting 0ms$/);
    // eslint-disable-next-line no-control-regex -- as above
    expect(writes[1]).toMatch(/^\r\x1b\[K⠙ waiting/);
    expect(writes.at(-1)).toBe('\r\x1b[K');
  });

  it('elsewhere: quick work prints nothing', () => {
    const { writes, stream } = sink();
    const progress = startProgress(stream, false, 'registering');
    vi.advanceTimersByTime(5_000);
    progress.stop();
    expect(writes).toEqual([]);
  });

  it('elsewhere, announced: the text at once, then a heartbeat line', () => {
    const { writes, stream } = sink();
    const progress = startProgress(stream, false, 'waiting for authorization', { announce: true, heartbeatMs: 30_000 });
    vi.advanceTimersByTime(61_000);
    progress.stop();
    vi.advanceTimersByTime(60_000);
    expect(writes).toEqual(['waiting for authorization\n', 'still waiting for authorization (30s)\n', 'still waiting for authorization (1m)\n']);
  });
});
