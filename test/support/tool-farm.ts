// A loopback HTTP process hosting many small MCP servers at /s{i}/mcp, each with `toolsPerServer`
// trivial tools — for the catalog benchmark (50 upstreams × 20 tools) without 50 processes.
// Run: node bin/run-ts.mjs test/support/tool-farm.ts PORT SERVERS TOOLS_PER_SERVER
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const [port, servers, toolsPerServer] = process.argv.slice(2).map(Number);

function makeServer(index: number): McpServer {
  const server = new McpServer({ name: `farm-${index}`, version: '1.0.0' });
  for (let t = 0; t < toolsPerServer; t += 1) {
    server.registerTool(
      `tool_${t}`,
      { description: `Tool ${t} of farm server ${index}: returns its input.`, inputSchema: { value: z.string().optional() } },
      async ({ value }) => ({ content: [{ type: 'text', text: value ?? 'ok' }] }),
    );
  }
  return server;
}

const sessions = new Map<string, StreamableHTTPServerTransport>();

createServer(async (req, res) => {
  const match = /^\/s(\d+)\/mcp/.exec(req.url ?? '');
  const index = match ? Number(match[1]) : -1;
  if (index < 0 || index >= servers) {
    res.writeHead(404).end();
    return;
  }
  const sessionId = req.headers['mcp-session-id'];
  const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
  if (existing) {
    await existing.handleRequest(req, res);
    return;
  }
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => void sessions.set(id, transport),
  });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await makeServer(index).connect(transport);
  await transport.handleRequest(req, res);
}).listen(port, '127.0.0.1', () => {
  console.error(`tool farm listening on port ${port}`);
});
