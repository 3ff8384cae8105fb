// An MCP server (SDK v1) with the shapes npm servers lack, for fault tests: a tool returning a
// result of any size, a tool flooding log notifications, and a plain echo.
// Run: node bin/run-ts.mjs test/support/faulty-server.ts stdio   (FAULTY_START_DELAY_MS: start slowly)
//      node bin/run-ts.mjs test/support/faulty-server.ts http PORT [json]   (streamable HTTP at /mcp;
//      `json` answers POSTs with JSON bodies instead of SSE streams)
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { freePort, startListeningChild, type RunningHttpUpstream } from './upstreams.ts';

/** Config (MCPJungle format) that runs this file as a stdio server. */
export function faultyStdioConfig(name: string, extra: Record<string, unknown> = {}) {
  const root = join(import.meta.dirname, '..', '..');
  return { name, transport: 'stdio' as const, command: process.execPath, args: [join(root, 'bin', 'run-ts.mjs'), join(root, 'test', 'support', 'faulty-server.ts'), 'stdio'], ...extra };
}

const MALFORMED = '__malformed__';

function createFaultyServer(): McpServer {
  const server = new McpServer({ name: 'faulty-server', version: '1.0.0' }, { capabilities: { logging: {} } });
  server.registerTool('echo', { description: 'Returns its text', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  server.registerTool('big', { description: 'Returns a text of `bytes` characters', inputSchema: { bytes: z.number().int() } }, async ({ bytes }) => ({
    content: [{ type: 'text', text: 'x'.repeat(bytes) }],
  }));
  server.registerTool('malformed', { description: 'Answers with a response that is not valid JSON-RPC (stdio only)' }, async () => ({
    content: [{ type: 'text', text: MALFORMED }],
  }));
  server.registerTool(
    'flood',
    { description: 'Sends `count` log notifications, then answers', inputSchema: { count: z.number().int() } },
    async ({ count }) => {
      for (let i = 0; i < count; i++) {
        // Not awaited one by one: a noisy server pushes as fast as its transport takes them.
        void server.server.sendLoggingMessage({ level: 'info', logger: 'flood', data: `flood message ${i}` }).catch(() => {});
        if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
      }
      return { content: [{ type: 'text', text: `sent ${count}` }] };
    },
  );
  return server;
}

function isMain(): boolean {
  return process.argv[1]?.endsWith('faulty-server.ts') ?? false;
}

if (isMain()) {
  const [mode, port, body] = process.argv.slice(2);
  if (mode === 'stdio') {
    // FAULTY_START_DELAY_MS: a slow starter (it reads nothing, initialize included, until then).
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.FAULTY_START_DELAY_MS ?? 0)));
    const transport = new StdioServerTransport();
    // The `malformed` tool's answer leaves as a response that is not valid JSON-RPC (a string result).
    const send = transport.send.bind(transport);
    transport.send = (message) => {
      const text = (message as { result?: { content?: { text?: string }[] } }).result?.content?.[0]?.text;
      if (text !== MALFORMED || !('id' in message)) return send(message);
      process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: 'not an object' })}\n`);
      return Promise.resolve();
    };
    await createFaultyServer().connect(transport);
  } else {
    const sessions = new Map<string, StreamableHTTPServerTransport>();
    createServer(async (req, res) => {
      if (!req.url?.startsWith('/mcp')) {
        res.writeHead(404).end();
        return;
      }
      const sessionId = req.headers['mcp-session-id'];
      const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
      if (existing) return existing.handleRequest(req, res);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableJsonResponse: body === 'json',
        onsessioninitialized: (id) => void sessions.set(id, transport),
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await createFaultyServer().connect(transport);
      await transport.handleRequest(req, res);
    }).listen(Number(port), '127.0.0.1', () => console.error(`faulty server listening on port ${port}`));
  }
}

/** Runs this server over streamable HTTP in its own process (on `port`, or a free one). */
export async function startFaultyHttp(options: { json?: boolean; port?: number } = {}): Promise<RunningHttpUpstream> {
  const root = join(import.meta.dirname, '..', '..');
  const port = options.port ?? (await freePort());
  const args = [join(root, 'bin', 'run-ts.mjs'), join(root, 'test', 'support', 'faulty-server.ts'), 'http', String(port), ...(options.json ? ['json'] : [])];
  return startListeningChild(args, {}, port, '/mcp', 'faulty server');
}
