// The one HTTP listener: guards (canonical path, Host/Origin, cross-site writes, body size) first,
// then one router for the MCP endpoints, the admin API, the OAuth callback, protected-resource
// metadata, health, metrics, and the web UI.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Hono, type Context } from 'hono';
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { getCookie } from 'hono/cookie';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { refuseCrossSiteWrite, refuseForeignOrigin, type OriginPolicy } from './origin-guard.ts';
import { nonCanonicalPath, pathOf } from './canonical-path.ts';
import { isUiPage, serveUi, UI_NOT_BUILT, uiIsBuilt } from './static-ui.ts';
import { readBodyLimited } from './read-body.ts';
import { escapeHtml } from './html.ts';
import { jsonRpcError } from '../gateway/json-rpc-error.ts';
import type { McpEndpoints, Caller, EndpointOptions } from '../gateway/mcp-endpoints.ts';
import type { ViewSpec } from '../gateway/catalog.ts';
import type { Logger } from '../telemetry/logger.ts';

const MAX_MCP_BODY_BYTES = 4 * 1024 * 1024;

export interface HttpServerParts {
  endpoints: McpEndpoints;
  /** The admin API (already mounted under /api/v0). */
  api: Hono;
  /** Completes an OAuth authorization; returns the server, and the user whose own account of it was connected. */
  completeOAuth(params: URLSearchParams, cookie: (name: string) => string | undefined): Promise<{ server: string; user?: string }>;
  serverExists(name: string): boolean;
  groupExists(name: string): boolean;
  health(): Record<string, unknown>;
  /** Decides who calls the MCP endpoint at `path`; a Response refuses the request (401/403/503). */
  mcpCaller(request: Request, spec: ViewSpec, path: string): Promise<Caller | Response>;
  /**
   * The RFC 9728 metadata of the MCP endpoint at `path` (`''`: the root document); undefined when
   * there is none. Absent: the gateway is no OAuth protected resource.
   */
  protectedResourceMetadata?: (path: string) => object | undefined;
  /** GET /metrics: Prometheus text, or a refusal (404 when metrics are off, 401/403). */
  metrics(request: Request): Promise<Response>;
  rendererDir?: string;
  originPolicy: OriginPolicy;
  logger: Logger;
  /** Enterprise sign-in (a public URL is set): the OAuth authorization server and the /sign-in pages. */
  signIn?: SignInParts;
}

export interface SignInParts {
  /** True for a path the authorization server answers itself, on Node's request and response. */
  serves(path: string): boolean;
  /** True for a path browsers may call from any origin (no cookies there); the Host check still applies. */
  crossOrigin(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The /sign-in/* pages (login, consent, the web UI's sign-in). */
  pages: Hono<{ Bindings: HttpBindings }>;
}

function page(title: string, message: string, status = 200): Response {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui;margin:3rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" } });
}

/** An MCP request body: JSON, at most MAX_MCP_BODY_BYTES; otherwise the JSON-RPC error to answer. */
async function readJsonRpcBody(incoming: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const body = await readBodyLimited(incoming, MAX_MCP_BODY_BYTES);
  if (!body.ok) return { ok: false, response: jsonRpcError(413, -32600, `request body is larger than ${MAX_MCP_BODY_BYTES} bytes`) };
  try {
    return { ok: true, value: JSON.parse(body.text) };
  } catch {
    return { ok: false, response: jsonRpcError(400, -32700, 'Parse error: the body is not valid JSON') };
  }
}

const notFound = (c: Context, message: string) => c.json({ error: { code: 'not_found', message } }, 404);

const PROTECTED_RESOURCE_METADATA = '/.well-known/oauth-protected-resource';

/**
 * Public metadata documents (`/.well-known/...`): browser-based MCP clients read them from any
 * origin, without credentials, so their Origin is not judged (their Host still is).
 */
const isPublicMetadata = (path: string) => path.startsWith('/.well-known/');

/** CORS for a public metadata document: any origin may read it; no cookies are involved. */
const ANY_ORIGIN = { 'access-control-allow-origin': '*' };

function createApp(parts: HttpServerParts): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

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
  const mcp = async (c: Context, spec: ViewSpec, endpoint: EndpointOptions = {}) => {
    const caller = await parts.mcpCaller(c.req.raw, spec, c.req.path);
    if (caller instanceof Response) return caller;
    const absent = missing(spec);
    if (absent) return absent;
    let body: unknown;
    if (c.req.method === 'POST') {
      const parsed = await readJsonRpcBody(c.env.incoming);
      if (!parsed.ok) return parsed.response;
      body = parsed.value;
    }
    const node = { req: c.env.incoming, res: c.env.outgoing };
    return (await parts.endpoints.handleStreamable(c.req.raw, node, spec, caller, body, endpoint)) ?? RESPONSE_ALREADY_SENT;
  };
  app.all('/mcp', (c) => mcp(c, { kind: 'all' }));
  app.all('/mcp/search', (c) => mcp(c, { kind: 'all' }, { search: true }));
  app.all('/servers/:name/mcp', (c) => mcp(c, { kind: 'server', server: c.req.param('name') }));
  app.all('/groups/:name/mcp', (c) => mcp(c, { kind: 'group', group: c.req.param('name') }));
  app.all('/groups/:name/mcp/search', (c) => mcp(c, { kind: 'group', group: c.req.param('name') }, { search: true }));

  // The legacy SSE transport writes to Node's own response; the body-reading and draining of every
  // other route applies to it too.
  app.get('/sse', async (c) => {
    const caller = await parts.mcpCaller(c.req.raw, { kind: 'all' }, '/sse');
    if (caller instanceof Response) return caller;
    await parts.endpoints.openLegacySse(c.env.outgoing, '/messages', caller);
    return RESPONSE_ALREADY_SENT;
  });
  app.post('/messages', async (c) => {
    const caller = await parts.mcpCaller(c.req.raw, { kind: 'all' }, '/messages');
    if (caller instanceof Response) return caller;
    const parsed = await readJsonRpcBody(c.env.incoming);
    if (!parsed.ok) return parsed.response;
    await parts.endpoints.postLegacyMessage(c.env.incoming, c.env.outgoing, c.req.query('sessionId') ?? null, caller, parsed.value);
    return RESPONSE_ALREADY_SENT;
  });
  const unsupported = (c: Context) => jsonRpcError(405, -32600, `${c.req.method} is not supported on ${c.req.path}`);
  app.all('/sse', unsupported);
  app.all('/messages', unsupported);

  const metadataOf = parts.protectedResourceMetadata;
  if (metadataOf) {
    const protectedResource = (c: Context) => {
      const document = metadataOf(c.req.path.slice(PROTECTED_RESOURCE_METADATA.length));
      if (!document) return notFound(c, `no protected resource is described at ${c.req.path}`);
      if (c.req.method === 'OPTIONS') {
        // Browser clients send MCP-Protocol-Version with the read: the preflight allows what it asks for.
        const asked = c.req.header('access-control-request-headers');
        const headers: Record<string, string> = asked ? { 'access-control-allow-headers': asked, vary: 'Access-Control-Request-Headers' } : {};
        return c.body(null, 204, { ...ANY_ORIGIN, 'access-control-allow-methods': 'GET, HEAD, OPTIONS', ...headers });
      }
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
        return c.json({ error: { code: 'bad_request', message: `${c.req.method} is not supported on ${c.req.path}` } }, 405, { ...ANY_ORIGIN, allow: 'GET, HEAD, OPTIONS' });
      }
      return c.json(document, 200, ANY_ORIGIN);
    };
    app.all(PROTECTED_RESOURCE_METADATA, protectedResource);
    app.all(`${PROTECTED_RESOURCE_METADATA}/*`, protectedResource);
  }

  app.get('/health', (c) => c.json(parts.health()));
  app.get('/metrics', (c) => parts.metrics(c.req.raw));

  app.get('/oauth/callback', async (c) => {
    try {
      const { server, user } = await parts.completeOAuth(new URL(c.req.url).searchParams, (name) => getCookie(c, name));
      if (user !== undefined) return page('Canopy: connected', `Your account of server '${server}' is connected, ${user}. You can close this window and call its tools.`);
      return page('Canopy: authorized', `Server '${server}' is authorized. You can close this window.`);
    } catch (error) {
      return page('Canopy: authorization failed', (error as Error).message, 400);
    }
  });

  if (parts.signIn) app.route('/', parts.signIn.pages);
  // The link per-user servers send people to ("connect your account"): the web UI's Connections page,
  // which signs the person in and connects that signed-in user, whatever the link says.
  app.get('/connections', (c) => {
    const server = c.req.query('server');
    return c.redirect(`/#/connections${server ? `?${new URLSearchParams({ server })}` : ''}`);
  });

  app.route('/', parts.api);
  app.all('/api/*', (c) => notFound(c, `no such API endpoint: ${c.req.method} ${c.req.path}`));

  app.get('*', async (c) => {
    const response = parts.rendererDir ? await serveUi(parts.rendererDir, c.req.path) : undefined;
    if (response) return response;
    if (isUiPage(c.req.path) && !(parts.rendererDir && (await uiIsBuilt(parts.rendererDir)))) {
      return page('Canopy: the web UI is not built', UI_NOT_BUILT, 503);
    }
    return notFound(c, `nothing at ${c.req.path}`);
  });
  app.notFound((c) => notFound(c, `nothing at ${c.req.method} ${c.req.path}`));
  return app;
}

/** Refused before routing; Node discards the unread body of such a request. */
function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message } }));
}

export function createHttpServer(parts: HttpServerParts): Server {
  const listener = getRequestListener(createApp(parts).fetch, { overrideGlobalObjects: false });

  return createServer((req, res) => {
    const target = req.url ?? '/';
    const { host, origin } = req.headers;
    const path = pathOf(target);
    const crossOrigin = isPublicMetadata(path) || parts.signIn?.crossOrigin(path) === true;
    const foreign = refuseForeignOrigin({ host, origin: crossOrigin ? undefined : origin }, parts.originPolicy);
    if (foreign) return refuse(res, 403, 'forbidden', foreign);
    const odd = nonCanonicalPath(target);
    if (odd) return refuse(res, 400, 'bad_request', `the request path is not in canonical form: ${odd}`);
    // Canonical from here, so `path` is the one the router serves (case aside, which the router keeps).
    if (/^\/api\//i.test(path)) {
      const crossSite = refuseCrossSiteWrite({ method: req.method ?? 'GET', host, origin, contentType: req.headers['content-type'] }, parts.originPolicy);
      if (crossSite) return refuse(res, 403, 'forbidden', crossSite);
    }
    const handled = parts.signIn?.serves(path) ? parts.signIn.handle(req, res) : listener(req, res);
    Promise.resolve(handled).catch((error: unknown) => {
      parts.logger.error({ err: error, path }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'internal error: see the Canopy log' } }));
    });
  });
}
