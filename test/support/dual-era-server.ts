// An MCP server built with the SDK v2 that speaks both eras on one URL (2026-07-28 stateless
// requests, 2025-11-25 through the SDK's stateless legacy serving), the shape a current server has.
// It counts the requests it gets by method, so tests can tell what reached it, and can change its
// tool list and a resource on demand (announced on its listeners' `subscriptions/listen` streams).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptedContent, createMcpHandler, inputRequired, McpServer, type CallToolResult, type InputRequiredResult } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod/v4';

export interface DualEraServer {
  url: string;
  /** Requests received, by JSON-RPC method. */
  requests: Map<string, number>;
  /** The Authorization headers requests carried (none when no request had one). */
  authorizations: string[];
  /** Adds the tool 'later' and tells listening clients that the tool list changed. */
  addTool(): void;
  /** Tells the clients subscribed to `note://today` that it changed. */
  touchNote(): void;
  close(): Promise<void>;
}

const PUBLIC_LISTS = { ttlMs: 60_000, cacheScope: 'public' } as const;

function buildServer(withLater: boolean, publicLists: boolean): McpServer {
  const server = new McpServer(
    { name: 'dual-era', version: '1.0.0' },
    {
      capabilities: { tools: { listChanged: true }, resources: { subscribe: true } },
      ...(publicLists ? { cacheHints: { 'tools/list': PUBLIC_LISTS, 'resources/list': PUBLIC_LISTS } } : {}),
    },
  );
  server.registerResource('today', 'note://today', {}, async () => ({ contents: [{ uri: 'note://today', text: 'a note' }] }));
  if (withLater) server.registerTool('later', { description: 'Added while running' }, async () => ({ content: [{ type: 'text', text: 'added later' }] }));
  server.registerTool('echo', { description: 'Echoes its text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  server.registerTool('secret', { description: 'A tool an allow-list may hide', inputSchema: z.object({}) }, async () => ({
    content: [{ type: 'text', text: 'the secret' }],
  }));
  // Multi round trip: asks the caller's name (in-band on 2026 requests; the SDK pushes an elicitation request to a 2025 client).
  server.registerTool(
    'ask_name',
    { description: 'Asks for your name, then greets you', inputSchema: z.object({}) },
    async (_args, ctx): Promise<CallToolResult | InputRequiredResult> => {
      const answer = acceptedContent<{ name: string }>(ctx.mcpReq.inputResponses, 'name');
      if (typeof answer?.name !== 'string') {
        return inputRequired({
          inputRequests: {
            name: inputRequired.elicit({ message: 'What is your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }),
          },
        });
      }
      return { content: [{ type: 'text', text: `Hello, ${answer.name}!` }] };
    },
  );
  return server;
}

/**
 * `modernOnly`: refuse 2025 clients (`legacy: 'reject'`), the shape of a server of 2026-07-28 alone.
 * `publicLists`: its 2026 tool and resource lists say anyone may reuse them (`cacheScope: public`).
 */
export async function startDualEraServer(options: { modernOnly?: boolean; publicLists?: boolean } = {}): Promise<DualEraServer> {
  const requests = new Map<string, number>();
  const authorizations: string[] = [];
  let withLater = false;
  // The 2026-07-28 path builds a server per request, so a change shows in the next one.
  const mcp = createMcpHandler(() => buildServer(withLater, options.publicLists ?? false), options.modernOnly ? { legacy: 'reject' } : {});
  const handler = toNodeHandler(mcp);
  const http: Server = createServer((req, res) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = undefined;
      }
      const method = (body as { method?: unknown } | undefined)?.method;
      if (typeof method === 'string') requests.set(method, (requests.get(method) ?? 0) + 1);
      void handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    authorizations,
    addTool: () => {
      withLater = true;
      mcp.notify.toolsChanged();
    },
    touchNote: () => mcp.notify.resourceUpdated('note://today'),
    close: async () => {
      await mcp.close(); // ends the listen streams, which would keep the HTTP server open
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
