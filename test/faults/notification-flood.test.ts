// Fault: one upstream floods 20,000 log notifications while a healthy server's calls are timed.
// The gateway relays a bounded number, drops the rest with one "N messages dropped" note per
// burst (every message is accounted for), and the healthy server answers every call. Timings and
// memory are printed for the report, not asserted (speed is `npm run bench`'s business).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { faultyStdioConfig } from '../support/faulty-server.ts';
import { stdioConfigs } from '../support/upstreams.ts';

const FLOOD = 20_000;
const text = (result: unknown) => ((result as { content: { text: string }[] }).content[0]?.text ?? '');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

describe('fault: a notification flood from one upstream', () => {
  let t: TestGateway;
  let listener: Client;
  let caller: Client;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: faultyStdioConfig('noisy') });
    await t.api.registerServer({ config: stdioConfigs.everything('healthy') });
    listener = await t.connect();
    caller = await t.connect();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('stays bounded and accounted for while a healthy server keeps answering', { timeout: 120_000 }, async () => {
    let relayed = 0;
    let droppedTold = 0;
    listener.setNotificationHandler(LoggingMessageNotificationSchema, (note) => {
      if (note.params.logger === 'noisy/flood') relayed++;
      const dropped = /^(\d+) messages from server 'noisy' dropped/.exec(String(note.params.data));
      if (note.params.logger === 'noisy/canopy' && dropped) droppedTold += Number(dropped[1]);
    });
    await listener.setLoggingLevel('info');

    const latencies: number[] = [];
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let flooding = true;
    const flood = listener.callTool({ name: 'noisy__flood', arguments: { count: FLOOD } }, undefined, { timeout: 100_000 }).finally(() => {
      flooding = false;
    });
    const timed = (async () => {
      for (let i = 0; i < 2_000 && (flooding || i < 50); i++) {
        const started = performance.now();
        expect(text(await caller.callTool({ name: 'healthy__echo', arguments: { message: `m${i}` } }))).toBe(`Echo: m${i}`);
        latencies.push(performance.now() - started);
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }
    })();
    expect(text(await flood)).toBe(`sent ${FLOOD}`);
    await timed;
    // Every message is either relayed or counted in a "dropped" note.
    await eventually(() => relayed + droppedTold === FLOOD, 30_000, `relayed (${relayed}) + dropped (${droppedTold}) to reach ${FLOOD}`);

    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `flood of ${FLOOD}: relayed ${relayed}, dropped ${droppedTold}; healthy calls ${sorted.length}, ` +
        `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms; ` +
        `gateway RSS ${(rssBefore / 2 ** 20).toFixed(0)} MB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MB (+${((rssPeak - rssBefore) / 2 ** 20).toFixed(0)} MB)`,
    );
    expect(droppedTold).toBeGreaterThan(0);
    expect(relayed).toBeLessThan(FLOOD);
  });
});
