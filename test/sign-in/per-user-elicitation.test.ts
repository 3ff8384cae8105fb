// A per-user server called from MCP clients whose OAuth access token names a Canopy user: each
// user's calls use their own account of the upstream, and a user who has not connected it is sent
// to the Connections page — as a URL-mode elicitation when the client declared one (MCP
// 2025-11-25: the -32042 URLElicitationRequiredError; 2026-07-28: an input_required round), else
// as an error naming the page. Tokens are real JWTs from a loopback issuer (see token-issuer.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElicitationCompleteNotificationSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { eventually } from '../support/gateway.ts';
import { freePort } from '../support/upstreams.ts';
import { rawModernCall } from '../support/raw-modern-call.ts';
import { responseMessages } from '../../main/core/upstream/sse-messages.ts';
import { startAccountServer, type AccountServer } from '../support/account-server.ts';
import { startEnterprise, text, type EnterpriseGateway } from '../enterprise/support.ts';
import { startTokenIssuer, type TokenIssuer } from './token-issuer.ts';

describe('per-user servers for OAuth-signed-in MCP clients', () => {
  let issuer: TokenIssuer;
  let upstream: AccountServer;
  let t: EnterpriseGateway;
  let publicUrl: string;
  const token = (user: string, path = '/mcp') => issuer.sign({ sub: user, aud: `${publicUrl}${path}`, client_id: 'claude', scope: 'mcp' });

  beforeAll(async () => {
    issuer = await startTokenIssuer();
    upstream = await startAccountServer({ 'tok-alice': 'alice@accounts', 'tok-bob': 'bob@accounts', 'tok-dave': 'dave@accounts' });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    t = await startEnterprise({ port, publicUrl, settingsEnv: { CANOPY_AUTH_ISSUER: issuer.url } });
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: { name: 'accounts', url: upstream.url, transport: 'streamable_http', credentials: 'per_user' } });
    for (const name of ['alice', 'bob', 'carol', 'dave']) await admin.createUser({ name });
    const alice = t.apiAs((await admin.rotateUserToken('alice')).token);
    await alice.connectWithToken('accounts', 'tok-alice');
    const bob = t.apiAs((await admin.rotateUserToken('bob')).token);
    await bob.connectWithToken('accounts', 'tok-bob');
    await eventually(async () => (await admin.listTools()).some((tool) => tool.name === 'accounts__whoami'), 15_000, 'the per-user catalog');
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await upstream?.close();
    await issuer?.close();
  });

  it("calls with the signed-in user's own account, on every endpoint", async () => {
    for (const [user, account] of [
      ['alice', 'alice@accounts'],
      ['bob', 'bob@accounts'],
    ]) {
      const onMcp = await t.connect('/mcp', {}, await token(user));
      expect(text(await onMcp.callTool({ name: 'accounts__whoami', arguments: {} }))).toBe(account);
      const onServer = await t.connect('/servers/accounts/mcp', {}, await token(user, '/servers/accounts/mcp'));
      expect(text(await onServer.callTool({ name: 'whoami', arguments: {} }))).toBe(account);
      const modern = await rawModernCall(`${publicUrl}/mcp`, { tool: 'accounts__whoami', arguments: {}, token: await token(user) });
      const answer = await lastMessage(modern);
      expect((answer.result as { content: { text: string }[] }).content[0].text).toBe(account);
    }
  });

  it('asks a user who has not connected the server to, with a URL elicitation (MCP 2025-11-25: -32042)', async () => {
    const client = await t.connect('/mcp', { elicitation: { url: {} } }, await token('carol'));
    const error = await client.callTool({ name: 'accounts__whoami', arguments: {} }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32042);
    const [elicitation] = ((error as McpError).data as { elicitations: { mode: string; url: string; elicitationId: string; message: string }[] }).elicitations;
    expect(elicitation).toMatchObject({ mode: 'url', url: `${publicUrl}/connections?server=accounts` });
    expect(elicitation.elicitationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(elicitation.message).toContain('which you have not connected yet');
  });

  it('tells the 2025-11-25 client when the account it was sent to connect is connected (notifications/elicitation/complete)', async () => {
    const client = await t.connect('/mcp', { elicitation: { url: {} } }, await token('dave'));
    const completed: string[] = [];
    client.setNotificationHandler(ElicitationCompleteNotificationSchema, (notification) => void completed.push(notification.params.elicitationId));
    const error = (await client.callTool({ name: 'accounts__whoami', arguments: {} }).catch((thrown: unknown) => thrown)) as McpError;
    const [{ elicitationId }] = (error.data as { elicitations: { elicitationId: string }[] }).elicitations;
    const dave = t.apiAs((await t.apiAs(t.adminToken).rotateUserToken('dave')).token);
    await dave.connectWithToken('accounts', 'tok-dave');
    await eventually(() => completed.length > 0, 5_000, 'notifications/elicitation/complete');
    expect(completed).toEqual([elicitationId]);
    expect(text(await client.callTool({ name: 'accounts__whoami', arguments: {} }))).toBe('dave@accounts');
  });

  it('asks in an input_required round on MCP 2026-07-28', async () => {
    const capabilities = { elicitation: { url: {} } };
    const answer = await lastMessage(await rawModernCall(`${publicUrl}/mcp`, { tool: 'accounts__whoami', arguments: {}, capabilities, token: await token('carol') }));
    const result = answer.result as { resultType?: string; inputRequests: Record<string, { method: string; params: { mode: string; url: string } }> };
    expect(result.inputRequests.canopy_connect).toMatchObject({ method: 'elicitation/create', params: { mode: 'url', url: `${publicUrl}/connections?server=accounts` } });
  });

  it("tells a client without URL elicitation where to connect, and never lends anyone else's account", async () => {
    const client = await t.connect('/mcp', {}, await token('carol'));
    const error = await client.callTool({ name: 'accounts__whoami', arguments: {} }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32600);
    expect((error as McpError).message).toContain(`open ${publicUrl}/connections?server=accounts`);
    const modern = await lastMessage(await rawModernCall(`${publicUrl}/mcp`, { tool: 'accounts__whoami', arguments: {}, token: await token('carol') }));
    expect((modern.error as { message: string }).message).toContain('which you have not connected yet');
    // The upstream only ever saw the two connected accounts (and, before anyone connected, no token at all).
    expect(new Set(upstream.tokensSeen)).toEqual(new Set([undefined, 'tok-alice', 'tok-bob', 'tok-dave']));
  });
});

async function lastMessage(response: Response): Promise<Record<string, unknown>> {
  let last: Record<string, unknown> | undefined;
  for await (const message of responseMessages(response)) last = message;
  return last!;
}
