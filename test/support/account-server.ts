// An MCP server on loopback (SDK McpServer, stateless streamable HTTP) that knows a few accounts by
// their bearer tokens: each request is answered by a server of its own, whose `whoami` tool says
// which account the token of that very request belongs to. Any other token gets 401. Stands in for
// a SaaS MCP server where every person has their own account.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface AccountServer {
  url: string;
  /** The tokens of the requests it answered (401s included), in order. */
  tokensSeen: (string | undefined)[];
  /** Revokes a token: it gets 401 from now on. */
  revoke(token: string): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body ? JSON.parse(body) : undefined;
}

/** `accounts`: token → account name. */
export async function startAccountServer(accounts: Record<string, string>): Promise<AccountServer> {
  const known = new Map(Object.entries(accounts));
  const tokensSeen: (string | undefined)[] = [];
  const http = createServer((req, res) => {
    void (async () => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      tokensSeen.push(token);
      const account = token === undefined ? undefined : known.get(token);
      if (!account) return void res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end('unauthorized');
      if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST' }).end();
      const server = new McpServer({ name: 'accounts', version: '1.0.0' });
      server.registerTool('whoami', { description: 'Says which account the caller is' }, async () => ({ content: [{ type: 'text', text: account }] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await server.connect(transport);
      await transport.handleRequest(req, res, await readJson(req));
      res.on('close', () => void server.close());
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    tokensSeen,
    revoke: (token) => void known.delete(token),
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
