// The one HTTP listener: guards (Host/Origin, body size) first, then MCP endpoints, the admin API,
// the OAuth callback, health, metrics, and the web UI.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import { getRequestListener } from '@hono/node-server';
import { refuseCrossSiteWrite, refuseForeignOrigin, type OriginPolicy } from './origin-guard.ts';
import { serveUi } from './static-ui.ts';
import { readBodyLimited } from './read-body.ts';
import { jsonRpcError } from '../gateway/json-rpc-error.ts';
import { Readable } from 'node:stream';
import type { McpEndpoints, Caller } from '../gateway/mcp-endpoints.ts';
import type { ViewSpec } from '../gateway/catalog.ts';
import type { Logger } from '../telemetry/logger.ts';

export const MAX_MCP_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpServerParts {
  endpoints: McpEndpoints;
  /** The admin API (already mounted under /api/v0). */
  api: Hono;
  /** Completes an OAuth authorization; returns the server name. */
  completeOAuth(params: URLSearchParams): Promise<string>;
  serverExists(name: string): boolean;
  groupExists(name: string): boolean;
  health(): Record<string, unknown>;
  /** Decides who calls an MCP endpoint; a Response refuses the request (401/403/503). */
  mcpCaller(request: Request, spec: ViewSpec): Promise<Caller | Response>;
  /** GET /metrics: Prometheus text, or a refusal (404 when metrics are off, 401/403). */
  metrics(request: Request): Promise<Response>;
  rendererDir?: string;
  originPolicy: OriginPolicy;
  logger: Logger;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function page(title: string, message: string, status = 200): Response {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui;margin:3rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" } });
}

/** An MCP request body: JSON, at most MAX_MCP_BODY_BYTES; otherwise the JSON-RPC error to answer. */
async function readJsonRpcBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const body = await readBodyLimited(request, MAX_MCP_BODY_BYTES);
  if (!body.ok) return { ok: false, response: jsonRpcError(413, -32600, `request body is larger than ${MAX_MCP_BODY_BYTES} bytes`) };
  try {
    return { ok: true, value: JSON.parse(body.text) };
  } catch {
    return { ok: false, response: jsonRpcError(400, -32700, 'Parse error: the body is not valid JSON') };
  }
}

function createApp(parts: HttpServerParts): Hono {
  const app = new Hono();

  // Existence is checked after access, so a caller without a token learns no names.
  const missing = (spec: ViewSpec): Response | undefined => {
    if (spec.kind === 'server' && !parts.serverExists(spec.server)) {
      return jsonRpcError(404, -32001, `no server named '${spec.server}' is registered`);
    }
    if (spec.kind === 'group' && !parts.groupExists(spec.group)) {
      return jsonRpcError(404, -32001, `no group named '${spec.group}': see \`canopy list groups\``);
    }
    return undefined;
  };
  const mcp = async (c: Context, spec: ViewSpec) => {
    const caller = await parts.mcpCaller(c.req.raw, spec);
    if (caller instanceof Response) return caller;
    const notFound = missing(spec);
    if (notFound) return notFound;
    let body: unknown;
    if (c.req.method === 'POST') {
      const parsed = await readJsonRpcBody(c.req.raw);
      if (!parsed.ok) return parsed.response;
      body = parsed.value;
    }
    return parts.endpoints.handleStreamable(c.req.raw, spec, caller, body);
  };
  app.all('/mcp', (c) => mcp(c, { kind: 'all' }));
  app.all('/servers/:name/mcp', (c) => mcp(c, { kind: 'server', server: c.req.param('name') }));
  app.all('/groups/:name/mcp', (c) => mcp(c, { kind: 'group', group: c.req.param('name') }));

  app.get('/health', (c) => c.json(parts.health()));
  app.get('/metrics', (c) => parts.metrics(c.req.raw));

  app.get('/oauth/callback', async (c) => {
    try {
      const server = await parts.completeOAuth(new URL(c.req.url).searchParams);
      return page('Canopy: authorized', `Server '${server}' is authorized. You can close this window.`);
    } catch (error) {
      return page('Canopy: authorization failed', (error as Error).message, 400);
    }
  });

  app.route('/', parts.api);

  app.get('*', async (c) => {
    const response = parts.rendererDir ? await serveUi(parts.rendererDir, c.req.path) : undefined;
    return response ?? c.json({ error: { code: 'not_found', message: `nothing at ${c.req.path}` } }, 404);
  });
  return app;
}

/** A web Request over a Node request (its body streams from `req` when there is one). */
function toWebRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
}

function sendWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  return response.text().then((text) => void res.end(text));
}

export function createHttpServer(parts: HttpServerParts): Server {
  const listener = getRequestListener(createApp(parts).fetch, { overrideGlobalObjects: false });

  // The legacy SSE transport needs Node's own request/response objects, so it is served here.
  const legacySse = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const request = toWebRequest(req);
    const caller = await parts.mcpCaller(request, { kind: 'all' });
    if (caller instanceof Response) return sendWebResponse(res, caller);
    if (req.method === 'GET' && url.pathname === '/sse') return parts.endpoints.openLegacySse(res, '/messages', caller);
    if (req.method === 'POST' && url.pathname === '/messages') {
      const parsed = await readJsonRpcBody(request);
      if (!parsed.ok) return sendWebResponse(res, parsed.response);
      return parts.endpoints.postLegacyMessage(req, res, url.searchParams.get('sessionId'), caller, parsed.value);
    }
    return sendWebResponse(res, jsonRpcError(405, -32600, `${req.method} is not supported on ${url.pathname}`));
  };

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { host, origin } = req.headers;
    const refused =
      refuseForeignOrigin({ host, origin }, parts.originPolicy) ??
      (url.pathname.startsWith('/api/') ? refuseCrossSiteWrite({ method: req.method ?? 'GET', host, origin }, parts.originPolicy) : undefined);
    if (refused) {
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'forbidden', message: refused } }));
      return;
    }
    const done = url.pathname === '/sse' || url.pathname === '/messages' ? legacySse(req, res, url) : listener(req, res);
    Promise.resolve(done).catch((error: unknown) => {
      parts.logger.error({ err: error, path: url.pathname }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'internal error: see the Canopy log' } }));
    });
  });
}
