import { describe, expect, it } from 'vitest';
import { waitForAuthorization } from '../../main/cli/authorization-wait.ts';
import type { UpstreamStatus } from '../../main/core/upstream/types.ts';
import { serverView } from './fixtures.ts';

function sequence(...statuses: UpstreamStatus[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    getServer: async (name: string) => serverView(name, { status: statuses[Math.min(calls++, statuses.length - 1)], lastError: 'denied' }),
  };
}

describe('waiting for authorization', () => {
  it('ends when the server runs', async () => {
    const server = sequence('needs_authorization', 'starting', 'running');
    const outcome = await waitForAuthorization({ name: 'todo', getServer: server.getServer, pollMs: 1, timeoutMs: 5_000 });
    expect(outcome.result).toBe('authorized');
    expect(server.calls).toBe(3);
  });

  it('ends on an error state', async () => {
    const outcome = await waitForAuthorization({ name: 'todo', ...sequence('needs_authorization', 'error'), pollMs: 1 });
    expect(outcome).toMatchObject({ result: 'failed', server: { state: { lastError: 'denied' } } });
  });

  it('is bounded in time', async () => {
    const server = sequence('needs_authorization');
    const outcome = await waitForAuthorization({ name: 'todo', getServer: server.getServer, pollMs: 10, timeoutMs: 50 });
    expect(outcome.result).toBe('timeout');
    expect(server.calls).toBeLessThanOrEqual(7);
  });

  it('stops at once when interrupted', async () => {
    const interrupted = new AbortController();
    const started = Date.now();
    const pending = waitForAuthorization({ name: 'todo', ...sequence('needs_authorization'), pollMs: 60_000, signal: interrupted.signal });
    setTimeout(() => interrupted.abort(), 20);
    expect((await pending).result).toBe('interrupted');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
