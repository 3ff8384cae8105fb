// Streamable HTTP and SSE upstreams: server-everything's HTTP modes, and a recording server of our
// own for credentials, 401 handling and list_changed.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { createUpstreamConnection, type UpstreamConnectionOptions } from '../../main/core/upstream/connection.ts';
import type { CatalogPart, UpstreamConnection, UpstreamState } from '../../main/core/upstream/types.ts';
import { everythingEntry, freePort, startEverythingHttp, type RunningHttpUpstream } from '../support/upstreams.ts';
import { startRecordingServer, type RecordingServer } from '../support/recording-server.ts';
import { config, fastBackoff, textOf, waitFor, waitForStatus } from './helpers.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup().catch(() => {})));
});

function connect(input: Parameters<typeof config>[0], options: UpstreamConnectionOptions = {}): UpstreamConnection {
  const connection = createUpstreamConnection(config(input), { backoff: fastBackoff, ...options });
  cleanups.push(() => connection.stop());
  return connection;
}

async function everythingHttp(mode: 'streamableHttp' | 'sse'): Promise<RunningHttpUpstream> {
  const upstream = await startEverythingHttp(mode);
  cleanups.push(() => upstream.stop());
  return upstream;
}

async function recordingServer(options?: Parameters<typeof startRecordingServer>[0]): Promise<RecordingServer> {
  const server = await startRecordingServer(options);
  cleanups.push(() => server.close());
  return server;
}

/** server-everything's streamable-HTTP mode on a given port, so it can be restarted on the same one. */
async function everythingOnPort(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [everythingEntry, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  cleanups.push(async () => child.kill('SIGKILL'));
  const accepts = () =>
    new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1', () => resolve(socket.end() !== undefined));
      socket.on('error', () => resolve(false));
    });
  await waitFor(accepts, `server-everything to listen on ${port}`);
  return child;
}

describe('HTTP upstreams: server-everything', () => {
  it.each([
    ['streamable_http', 'streamableHttp'],
    ['sse', 'sse'],
  ] as const)('connects over %s, lists and calls a tool', async (transport, mode) => {
    const upstream = await everythingHttp(mode);
    const connection = connect({ name: `everything-${mode}`, transport, url: upstream.url });
    await connection.start();
    expect(connection.catalog!.tools.map((tool) => tool.name)).toContain('echo');
    expect(textOf(await connection.client!.callTool({ name: 'echo', arguments: { message: transport } }))).toBe(`Echo: ${transport}`);
    expect(connection.logLines()).toContain('[canopy] connected');
  });

  it('reconnects after the upstream restarts', async () => {
    const port = await freePort();
    const first = await everythingOnPort(port);
    const connection = connect(
      { name: 'restarting', transport: 'streamable_http', url: `http://127.0.0.1:${port}/mcp` },
      { pingIntervalMs: 200, backoff: { ...fastBackoff, maxFailuresBeforeReady: 100 } },
    );
    await connection.start();
    const states: UpstreamState[] = [];
    connection.on('state', (state) => states.push(state));
    first.kill('SIGKILL');
    const crashed = await waitFor(() => states.find((state) => state.status === 'crashed'), 'the first crash');
    expect(crashed.lastError).toMatch(/server 'restarting' stopped working: connection lost/);
    await everythingOnPort(port);
    await waitForStatus(connection, 'running');
    expect(connection.state.crashes).toBeGreaterThanOrEqual(1);
    expect(textOf(await connection.client!.callTool({ name: 'echo', arguments: { message: 'back' } }))).toBe('Echo: back');
  });
});

describe('HTTP upstreams that are down', () => {
  it('are never given up on: retried with backoff until they come back', async () => {
    const port = await freePort();
    const connection = connect({ name: 'late', transport: 'streamable_http', url: `http://127.0.0.1:${port}/mcp` });
    await expect(connection.start()).rejects.toThrow(/failed to start/);
    // Far more failed starts than maxFailuresBeforeReady (3): still crashed, with a next attempt.
    await waitFor(() => connection.state.crashes >= 6, 'six failed starts');
    expect(connection.state).toMatchObject({ status: 'crashed', nextRetryAt: expect.any(String) });
    expect(connection.state.lastError).toMatch(/Reconnecting in \d+ ms \(or at the next call\)/);
    await everythingOnPort(port);
    await waitForStatus(connection, 'running');
  });

  it('are tried at once by the next call instead of after the backoff', async () => {
    const port = await freePort();
    const connection = connect(
      { name: 'called', transport: 'streamable_http', url: `http://127.0.0.1:${port}/mcp` },
      { backoff: { ...fastBackoff, initialDelayMs: 120_000, maxDelayMs: 120_000 } },
    );
    await expect(connection.start()).rejects.toThrow(/failed to start/);
    expect(connection.state.status).toBe('crashed');
    // A call while it is still down fails with the reason, not after a 30 s wait.
    await expect(connection.ready(20_000)).rejects.toThrow(/failed to start/);
    await everythingOnPort(port);
    const client = await connection.ready(20_000);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'now' } }))).toBe('Echo: now');
  });
});

describe.each(['streamable_http', 'sse'] as const)('static credentials over %s', (transport) => {
  it('sends bearer_token as Authorization: Bearer on every request', async () => {
    const server = await recordingServer();
    const connection = connect({ name: 'bearer', transport, url: server.url(transport), bearer_token: 'tok-123' });
    await connection.start();
    await connection.client!.callTool({ name: 'add-tool', arguments: {} });
    expect(server.requests.length).toBeGreaterThan(2);
    for (const request of server.requests) expect(request.headers.authorization).toBe('Bearer tok-123');
  });

  it('lets headers.Authorization override bearer_token and sends custom headers', async () => {
    const server = await recordingServer({ requireAuthorization: 'token from-header' });
    const connection = connect({
      name: 'headers',
      transport,
      url: server.url(transport),
      bearer_token: 'ignored',
      headers: { authorization: 'token from-header', 'X-Custom-Header': 'custom-value' },
    });
    await connection.start();
    await connection.client!.callTool({ name: 'add-tool', arguments: {} });
    const methods = new Set(server.requests.map((request) => `${request.method} ${request.path}`));
    if (transport === 'sse') expect(methods).toEqual(new Set(['GET /sse', 'POST /messages']));
    for (const request of server.requests) {
      expect(request.headers).toMatchObject({ authorization: 'token from-header', 'x-custom-header': 'custom-value' });
    }
    expect(connection.logLines()).toContain('[canopy] headers.authorization overrides bearer_token');
  });

  it('reports rejected static credentials as an error to fix, without retrying', async () => {
    const server = await recordingServer({ requireAuthorization: 'Bearer right' });
    const connection = connect({ name: 'wrong', transport, url: server.url(transport), bearer_token: 'wrong' });
    await expect(connection.start()).rejects.toThrow(/server 'wrong' rejected Canopy's credentials .*check its bearer_token and headers/);
    expect(connection.state.status).toBe('error');
  });

  it('asks for `canopy authorize` when OAuth has no usable token', async () => {
    const server = await recordingServer({ requireAuthorization: 'Bearer oauth-token' });
    const redirects: URL[] = [];
    // Stands in for the OAuth module's provider: a known client, no tokens yet.
    const authProvider: OAuthClientProvider = {
      redirectUrl: 'http://127.0.0.1:7450/oauth/callback',
      clientMetadata: { redirect_uris: ['http://127.0.0.1:7450/oauth/callback'], client_name: 'canopy' },
      clientInformation: () => ({ client_id: 'canopy-test' }),
      tokens: () => undefined,
      saveTokens: () => {},
      redirectToAuthorization: (url) => void redirects.push(url),
      saveCodeVerifier: () => {},
      codeVerifier: () => 'verifier',
    };
    const connection = connect({ name: 'oauthy', transport, url: server.url(transport) }, { authProvider });
    await expect(connection.start()).rejects.toThrow("server 'oauthy' needs authorization: run `canopy authorize oauthy`");
    expect(connection.state.status).toBe('needs_authorization');
    expect(redirects).toHaveLength(1);
  });

  it('refreshes the tool list on tools/list_changed', async () => {
    const server = await recordingServer();
    const connection = connect({ name: 'changing', transport, url: server.url(transport) });
    const changes: CatalogPart[][] = [];
    connection.on('catalog', (parts) => changes.push(parts));
    await connection.start();
    expect(connection.catalog!.tools.map((tool) => tool.name)).toEqual(['add-tool']);
    await connection.client!.callTool({ name: 'add-tool', arguments: {} });
    await waitFor(() => connection.catalog!.tools.some((tool) => tool.name === 'added-1'), 'added-1 in the catalog');
    expect(changes).toEqual([['tools', 'prompts', 'resources'], ['tools']]);
  });
});
