// Fault: an upstream answers with a 20 MB result, over the default 10 MB max_response_bytes. The
// call fails (not left pending) with an error naming the limit, the gateway and the connection
// survive, the next call works and a healthy server is untouched — over stdio and streamable HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { faultyStdioConfig, startFaultyHttp } from '../support/faulty-server.ts';
import { stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';

const TWENTY_MB = 20 * 1024 * 1024;
const text = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? '');

describe('fault: a 20 MB response', () => {
  let t: TestGateway;
  let remote: RunningHttpUpstream;
  let client: Client;

  beforeAll(async () => {
    remote = await startFaultyHttp();
    t = await startTestGateway();
    await t.api.registerServer({ config: faultyStdioConfig('bigstdio') });
    await t.api.registerServer({ config: { name: 'bighttp', transport: 'streamable_http', url: remote.url } });
    await t.api.registerServer({ config: stdioConfigs.everything('healthy') });
    client = await t.connect();
  });

  afterAll(async () => {
    await t?.close();
    await remote?.stop();
  });

  it.each(['bigstdio', 'bighttp'])('%s: the call fails naming the limit, the next call works', { timeout: 90_000 }, async (server) => {
    // A call left pending would end in the client's own timeout, which names no limit.
    const failed = await client
      .callTool({ name: `${server}__big`, arguments: { bytes: TWENTY_MB } }, undefined, { timeout: 60_000 })
      .then((result) => JSON.stringify(result).slice(0, 300), (error: Error) => error.message);
    expect(failed).toMatch(/larger than the 10 MB limit \(max_response_bytes = 10485760\)/);
    expect(text(await client.callTool({ name: `${server}__echo`, arguments: { text: 'after' } }))).toBe('after');
    expect(text(await client.callTool({ name: 'healthy__echo', arguments: { message: 'fine' } }))).toBe('Echo: fine');
    expect((await t.api.getServer(server)).state.status).toBe('running');
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
