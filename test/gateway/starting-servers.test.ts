// Calls during a (re)start wait for the server instead of answering "unknown tool" at once; the
// wait is bounded by the server's own initialize_timeout_ms.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { faultyStdioConfig } from '../support/faulty-server.ts';

const gateways: TestGateway[] = [];
afterEach(async () => {
  await Promise.allSettled(gateways.splice(0).map((t) => t.close()));
});

async function gateway(): Promise<TestGateway> {
  const t = await startTestGateway();
  gateways.push(t);
  return t;
}

const text = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? '');

describe('calls while a server is starting', () => {
  it('wait for a restarting server and then succeed', async () => {
    const t = await gateway();
    await t.api.registerServer({ config: faultyStdioConfig('slow', { env: { FAULTY_START_DELAY_MS: '1500' } }) });
    const client = await t.connect();
    expect(text(await client.callTool({ name: 'slow__echo', arguments: { text: 'one' } }))).toBe('one');
    const restarting = t.api.restartServer('slow');
    await eventually(async () => (await t.api.getServer('slow')).state.status === 'starting', 10_000, 'the restart to begin');
    // The new connection has no catalog yet: the call waits for it instead of "unknown tool".
    expect(text(await client.callTool({ name: 'slow__echo', arguments: { text: 'two' } }))).toBe('two');
    await restarting;
  });

  it('bounds a start by the server\'s own initialize_timeout_ms, over the gateway default', async () => {
    const t = await startTestGateway({ initializeTimeoutMs: 1_000 });
    gateways.push(t);
    const refused = await t.api
      .registerServer({ config: faultyStdioConfig('too-slow', { initialize_timeout_ms: 1_000, env: { FAULTY_START_DELAY_MS: '4000' } }) })
      .catch((error: Error) => error);
    expect(String(refused)).toMatch(/did not finish initializing within 1 s/);
    // 2.5 s of start: too slow for the gateway's 1 s default, fine for this server's own 15 s.
    await t.api.registerServer({ config: faultyStdioConfig('patient', { initialize_timeout_ms: 15_000, env: { FAULTY_START_DELAY_MS: '2500' } }) });
    const client = await t.connect();
    expect(text(await client.callTool({ name: 'patient__echo', arguments: { text: 'ok' } }))).toBe('ok');
  });
});
