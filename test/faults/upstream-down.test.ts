// Fault: a remote upstream is down for 45 s, then comes back. The gateway keeps retrying (no
// "gave up", no `canopy restart`), says when the next attempt is, keeps serving a healthy server
// meanwhile, and uses the remote one again once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { UpstreamStatus } from '../../main/core/upstream/types.ts';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';

const DOWN_MS = 45_000;
/** Shortened backoff (the default is 1 s doubling to 60 s): 45 s down is then ~10 failed tries. */
const BACKOFF = { initialDelayMs: 250, maxDelayMs: 4_000 };

const text = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? '');

describe('fault: a remote upstream down for 45 s', () => {
  let t: TestGateway;
  let remote: RunningHttpUpstream | undefined;
  let client: Client;

  beforeAll(async () => {
    remote = await startEverythingHttp('streamableHttp');
    t = await startTestGateway({ upstreamBackoff: BACKOFF });
    await t.api.registerServer({ config: { name: 'remote', transport: 'streamable_http', url: remote.url } });
    await t.api.registerServer({ config: stdioConfigs.everything('healthy') });
    client = await t.connect();
  });

  afterAll(async () => {
    await remote?.stop();
    await t?.close();
  });

  it('is retried until it is back, and works again without `canopy restart`', { timeout: 120_000 }, async () => {
    expect(text(await client.callTool({ name: 'remote__echo', arguments: { message: 'before' } }))).toBe('Echo: before');
    const port = remote!.port;
    await remote!.stop();
    remote = undefined;

    const seen = new Set<UpstreamStatus>();
    const started = Date.now();
    let healthyCalls = 0;
    let lastCrashes = 0;
    while (Date.now() - started < DOWN_MS) {
      const state = (await t.api.getServer('remote')).state;
      seen.add(state.status);
      lastCrashes = state.crashes;
      expect(state.status, state.lastError).not.toBe('error');
      if (state.status === 'crashed') expect(Date.parse(state.nextRetryAt!)).toBeLessThanOrEqual(Date.now() + BACKOFF.maxDelayMs + 1_000);
      // The healthy server answers throughout.
      expect(text(await client.callTool({ name: 'healthy__echo', arguments: { message: 'ok' } }))).toBe('Echo: ok');
      healthyCalls++;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(seen.has('crashed')).toBe(true);
    // Far beyond the five failed starts after which it used to give up for good.
    expect(lastCrashes).toBeGreaterThan(6);
    expect(healthyCalls).toBeGreaterThan(20);

    remote = await startEverythingHttp('streamableHttp', port);
    // Back by itself within one capped backoff step (plus a start).
    await eventually(async () => (await t.api.getServer('remote')).state.status === 'running', BACKOFF.maxDelayMs + 10_000, 'remote to be running again');
    expect(text(await client.callTool({ name: 'remote__echo', arguments: { message: 'after' } }))).toBe('Echo: after');
  });
});
