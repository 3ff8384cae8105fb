// Requests from upstreams to clients (sampling, elicitation, roots) reach exactly the client they are
// for, with two clients of one identity calling the same server at once: over a streamable-HTTP
// upstream by the request they relate to; over stdio only when one call is running (else refused,
// never guessed). Shared connections declare no roots; "isolation": "per_session" gives each session
// its own upstream that mirrors its client's capabilities and roots.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, CreateMessageResultSchema, ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from '../support/upstreams.ts';

const allText = (result: unknown) => (result as CallToolResult).content.map((c) => ('text' in c ? c.text : '')).join('\n');

/** A client that samples as `who`; its answer waits for `gate` so two calls overlap. */
async function samplingClient(t: TestGateway, path: string, who: string, gate: Promise<void>, asked: string[]): Promise<Client> {
  const client = await t.connect(path, { sampling: {} });
  client.setRequestHandler(CreateMessageRequestSchema, async () => {
    asked.push(who);
    await gate;
    return { model: 'test-model', role: 'assistant', content: { type: 'text', text: `sampled by ${who}` } };
  });
  return client;
}

describe('sampling with two clients calling a streamable-HTTP upstream at once', () => {
  let t: TestGateway;
  let http: RunningHttpUpstream;

  beforeAll(async () => {
    t = await startTestGateway();
    http = await startEverythingHttp();
    await t.api.registerServer({ config: { name: 'remote', url: http.url } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await http?.stop();
  });

  it.each([
    ['/mcp', 'remote__trigger-sampling-request'],
    ['/servers/remote/mcp', 'trigger-sampling-request'],
  ])('over %s each sampling request goes to the client whose call sent it', async (path, tool) => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const asked: string[] = [];
    const a = await samplingClient(t, path, 'A', gate, asked);
    const b = await samplingClient(t, path, 'B', gate, asked);
    const callA = a.callTool({ name: tool, arguments: { prompt: 'from A', maxTokens: 5 } });
    await eventually(() => asked.length === 1, 10_000, "A's sampling request");
    // B calls while A's call (and its sampling request) is still open: the newest call is B's.
    const callB = b.callTool({ name: tool, arguments: { prompt: 'from B', maxTokens: 5 } });
    await eventually(() => asked.length === 2, 10_000, "B's sampling request");
    open();
    const [resultA, resultB] = await Promise.all([callA, callB]);
    expect(asked.sort()).toEqual(['A', 'B']);
    expect(allText(resultA)).toContain('sampled by A');
    expect(allText(resultA)).not.toContain('sampled by B');
    expect(allText(resultB)).toContain('sampled by B');
  });
});

/**
 * A streamable-HTTP MCP server whose tool `sample-after` waits `delayMs`, then asks its client to
 * sample (related to the call, as the SDK's `extra.sendRequest` does) and returns the answer.
 */
async function startDelayedSamplingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const parsed = body ? JSON.parse(body) : undefined;
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? transports.get(id) : undefined;
    if (!transport) {
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized: (sid) => void transports.set(sid, created) });
      const server = new McpServer({ name: 'delayed-sampling', version: '1.0.0' });
      server.registerTool('sample-after', { inputSchema: { delayMs: z.number() } }, async ({ delayMs }, extra) => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        const answer = await extra.sendRequest(
          { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 } },
          CreateMessageResultSchema,
        );
        return { content: [{ type: 'text', text: JSON.stringify(answer.content) }] };
      });
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res, parsed);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: () => new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
  };
}

describe('sampling related to its call, not to the newest one', () => {
  let t: TestGateway;
  let upstream: Awaited<ReturnType<typeof startDelayedSamplingServer>>;

  beforeAll(async () => {
    t = await startTestGateway();
    upstream = await startDelayedSamplingServer();
    await t.api.registerServer({ config: { name: 'delayed', url: upstream.url } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await upstream?.close();
  });

  it('sends A’s late sampling request to A although B called after A and is still waiting', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const asked: string[] = [];
    const a = await samplingClient(t, '/mcp', 'A', Promise.resolve(), asked);
    const b = await samplingClient(t, '/mcp', 'B', gate, asked);
    const callA = a.callTool({ name: 'delayed__sample-after', arguments: { delayMs: 1_000 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const callB = b.callTool({ name: 'delayed__sample-after', arguments: { delayMs: 0 } });
    // B's sampling request is answered only when the gate opens: B's call stays the newest running one.
    const resultA = await callA;
    open();
    const resultB = await callB;
    expect(allText(resultA)).toContain('sampled by A');
    expect(allText(resultB)).toContain('sampled by B');
    expect(asked).toEqual(['B', 'A']);
  });
});

describe('sampling over a stdio upstream', () => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway();
    await t.api.registerServer({ config: stdioConfigs.everything() });
  }, 60_000);
  afterAll(async () => t?.close());

  it('refuses a sampling request while another client’s call runs on the same process', async () => {
    const asked: string[] = [];
    const a = await samplingClient(t, '/mcp', 'A', Promise.resolve(), asked);
    const b = await samplingClient(t, '/mcp', 'B', Promise.resolve(), asked);
    const long = b.callTool({ name: 'everything__trigger-long-running-operation', arguments: { duration: 3, steps: 3 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = await a.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } }).then(
      (result) => allText(result),
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/cannot tell which of the 2 calls running on server 'everything' sent sampling\/createMessage.*"isolation": "per_session"/);
    expect(asked).toEqual([]);
    await long;
    // Alone on the process, the same call is answered by its own client.
    const alone = await a.callTool({ name: 'everything__trigger-sampling-request', arguments: { prompt: 'hi', maxTokens: 5 } });
    expect(allText(alone)).toContain('sampled by A');
  });

  it('declares no roots on a shared connection, so the upstream never asks for one client’s roots', async () => {
    const client = await t.connect('/mcp', { sampling: {}, roots: { listChanged: true } });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///only/this/client' }] }));
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('everything__trigger-sampling-request');
    expect(names).not.toContain('everything__get-roots-list');
  });
});

describe('per-session isolation with server-filesystem and roots', () => {
  let t: TestGateway;
  let base: string;
  const dir = (name: string) => join(base, name);

  beforeAll(async () => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'canopy-roots-')));
    for (const name of ['configured', 'a', 'a2', 'b']) mkdirSync(dir(name));
    t = await startTestGateway();
    await t.api.registerServer({ config: { ...stdioConfigs.filesystem(dir('configured'), 'files'), isolation: 'per_session' } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    rmSync(base, { recursive: true, force: true });
  });

  /** Running server-filesystem processes serving this test's configured directory. */
  const filesystemProcesses = () =>
    readdirSync('/proc').filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.some((arg) => arg.includes('server-filesystem')) && args.includes(dir('configured'));
      } catch {
        return false; // gone meanwhile
      }
    }).length;

  /** A client whose roots are whatever `roots` holds when asked. */
  async function rootsClient(path: string, roots: { current: string }): Promise<Client> {
    const client = await t.connect(path, { roots: { listChanged: true } });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: pathToFileURL(roots.current).href, name: 'workspace' }] }));
    return client;
  }
  const allowed = async (client: Client, tool: string) => allText(await client.callTool({ name: tool, arguments: {} }));

  it.each([
    ['/servers/files/mcp', 'list_allowed_directories'],
    ['/mcp', 'files__list_allowed_directories'],
  ])('over %s each client’s own upstream sees its roots, never the other’s', async (path, tool) => {
    const rootsA = { current: dir('a') };
    const a = await rootsClient(path, rootsA);
    const b = await rootsClient(path, { current: dir('b') });
    const plain = await t.connect(path, {});
    // Roots arrive asynchronously (the server asks for them once initialized): poll, bounded.
    await eventually(async () => (await allowed(a, tool)).includes(dir('a')), 10_000, "A's roots on A's upstream");
    await eventually(async () => (await allowed(b, tool)).includes(dir('b')), 10_000, "B's roots on B's upstream");
    expect(await allowed(b, tool)).not.toContain(dir('a'));
    expect(await allowed(a, tool)).not.toContain(dir('b'));
    // A client that declared no roots gets the configured directory, not another client's roots.
    const plainDirs = await allowed(plain, tool);
    expect(plainDirs).toContain(dir('configured'));
    expect(plainDirs).not.toContain(dir('a'));

    // A's roots change: its upstream hears of it and asks again; B's stays as it was.
    rootsA.current = dir('a2');
    await a.sendRootsListChanged();
    await eventually(async () => (await allowed(a, tool)).includes(dir('a2')), 10_000, "A's new roots");
    expect(await allowed(b, tool)).toContain(dir('b'));
    expect(await allowed(b, tool)).not.toContain(dir('a2'));

    // One process per session plus the shared one (the catalog); ending the sessions ends theirs.
    expect(filesystemProcesses()).toBe(4);
    for (const client of [a, b, plain]) {
      await (client.transport as StreamableHTTPClientTransport).terminateSession();
      await client.close();
    }
    await eventually(() => filesystemProcesses() === 1, 10_000, 'the per-session processes to end with their sessions');
  });
});
