// The admin API's invoke and resource read go through the call pipeline itself, not through an MCP
// session Canopy opens to itself: no session (and so no per-session upstream of its own) during a
// call, progress and cancellation reach the upstream, one audit entry per call, and refusals come
// back as REST errors with the pipeline's plain message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { eventually } from '../support/gateway.ts';
import { shapedStdioConfig } from '../support/shaped-server.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { startEnterprise, text, type EnterpriseGateway } from '../enterprise/support.ts';
import type { AdminClient } from '../../main/core/api/client.ts';

describe('admin API calls', () => {
  let t: EnterpriseGateway;
  let admin: AdminClient;
  let agent: AdminClient;

  beforeAll(async () => {
    t = await startEnterprise();
    admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: shapedStdioConfig('slow', 'slow') });
    // A server whose state lives in its process: a connection of its own per MCP session.
    await admin.registerServer({ config: { ...shapedStdioConfig('odd', 'names'), isolation: 'per_session' } });
    await admin.registerServer({ config: stdioConfigs.everything() });
    agent = t.apiAs((await admin.createClient({ name: 'agent', allow: ['slow', 'odd'] })).token);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  const openSessions = async () => ((await (await fetch(`${t.url}/health`)).json()) as { sessions: number }).sessions;

  it('runs an invoke with progress and no MCP session, and audits it once', async () => {
    const progress: Progress[] = [];
    let sessionsDuringCall: number | undefined;
    const result = await agent.invokeToolStreaming('slow__wait', { steps: 15 }, {
      onprogress: (update) => {
        progress.push(update);
        if (progress.length === 1) void openSessions().then((count) => (sessionsDuringCall = count));
      },
    });
    expect(text(result)).toBe('waited 15 steps');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ total: 15 });
    expect(await eventually(() => sessionsDuringCall !== undefined, 5_000, 'the /health answer during the call')).toBe(true);
    expect(sessionsDuringCall).toBe(0);

    const calls = await eventually(async () => {
      const entries = (await admin.audit({ client: 'agent' })).filter((e) => e.action === 'tool.call' && e.target === 'wait');
      return entries.length > 0 ? entries : undefined;
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ actor: 'agent', server: 'slow', outcome: 'ok' });
  });

  it("calls a per-session server on its shared connection, not on one started for the call", async () => {
    // Each tool call of the same process counts on; a process started per call would answer added-1 twice.
    expect(text(await admin.invokeTool('odd__add-tool', {}))).toBe('added-1');
    expect(text(await admin.invokeTool('odd__add-tool', {}))).toBe('added-2');
  });

  it('cancels the upstream call when the caller goes away', async () => {
    const cancel = new AbortController();
    const call = agent.invokeToolStreaming('slow__wait', { steps: 300 }, { signal: cancel.signal, onprogress: () => cancel.abort() });
    await expect(call).rejects.toThrow();
    const log = await eventually(async () => {
      const lines = (await admin.serverLogs('slow')).lines.join('\n');
      return /cancelled wait after \d+ steps/.test(lines) ? lines : undefined;
    }, 20_000, "the upstream's cancellation");
    expect(log).toMatch(/cancelled wait after ([1-9]|[1-9]\d) steps/);
  });

  it("refuses what the pipeline refuses with its own message, no JSON-RPC prefix", async () => {
    await admin.setToolEnabled('slow__wait', false);
    try {
      const disabled = admin.invokeTool('slow__wait', { steps: 1 });
      await expect(disabled).rejects.toMatchObject({ status: 400, code: 'bad_request', message: "tool 'slow__wait' is disabled: enable it with `canopy enable tool slow__wait`" });
    } finally {
      await admin.setToolEnabled('slow__wait', true);
    }
    await expect(admin.readResource('note://nowhere')).rejects.toMatchObject({ status: 400, code: 'bad_request', message: "unknown resource 'note://nowhere'" });
  });

  it('refuses what a server asks during an admin call, saying where to call the tool instead', async () => {
    const outcome = await admin.invokeTool('everything__trigger-sampling-request', { prompt: 'hi' }).then(
      (result) => JSON.stringify(result),
      (error: Error) => error.message,
    );
    expect(outcome).toMatch(/the admin API cannot answer 'sampling\/createMessage' during a call: call this tool from an MCP client that supports sampling\/createMessage/);
  });
});
