// A real OAuth 2.1 authorization server and an MCP server that requires its tokens, both on
// loopback, for the upstream-OAuth tests. The authorization server does what a strict one does:
// RFC 8414 (or OpenID) metadata, RFC 7591 registration, PKCE S256 verified at the token endpoint,
// RFC 8707 resources checked at both endpoints, single-use codes, rotating refresh tokens. The MCP
// server answers 401 with an RFC 9728 `resource_metadata` challenge unless it gets a valid,
// unexpired token issued for it.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const CODE_TTL_MS = 60_000;
const MAX_BODY_BYTES = 64 * 1024;

export interface TestClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
}

export interface AccessGrant {
  clientId: string;
  resource: string;
  scope?: string;
  expiresAt: number;
}

interface CodeGrant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  scope?: string;
  expiresAt: number;
}

interface RefreshGrant {
  clientId: string;
  resource: string;
  scope?: string;
}

export interface TestAuthorizationServerOptions {
  /** Offer RFC 7591 registration at /register. Default true. */
  dynamicRegistration?: boolean;
  /** Which discovery document to serve: RFC 8414 ('oauth') or OpenID Connect ('oidc'). Default 'oauth'. */
  discovery?: 'oauth' | 'oidc';
  /** Lifetime of issued access tokens. Default 3600 s. */
  accessTokenTtlSeconds?: number;
  scopesSupported?: string[];
  /** RFC 9207: advertise `authorization_response_iss_parameter_supported` and name the issuer in every authorization response. Default false. */
  issParameter?: boolean;
  /** Advertise `client_id_metadata_document_supported`: an https URL may be the client ID (add its document with addClient). Default false. */
  clientIdMetadataDocuments?: boolean;
}

class OAuthFailure extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
  }
}

export class TestAuthorizationServer {
  /** The issuer URL (an origin, no trailing slash); set once the server it is mounted on listens. */
  issuer = '';
  dynamicRegistration: boolean;
  accessTokenTtlSeconds: number;
  /** When true, every refresh_token grant is refused with invalid_grant. */
  failRefresh = false;
  readonly issParameter: boolean;
  readonly clientIdMetadataDocuments: boolean;
  /** What authorization responses say as `iss` instead of the issuer (as a mix-up attacker's would); null leaves it out. */
  issOverride: string | null | undefined;
  readonly discovery: 'oauth' | 'oidc';
  readonly scopesSupported: string[];
  readonly counters = { registrations: 0, authorizations: 0, codeExchanges: 0, refreshes: 0, refusedTokenRequests: 0 };
  /** Every error the token endpoint answered, newest last. */
  readonly tokenErrors: { grant: string; error: string; description: string }[] = [];
  /** The query of the last /authorize request. */
  lastAuthorizationRequest: URLSearchParams | undefined;
  private readonly clients = new Map<string, TestClient>();
  private readonly resources = new Set<string>();
  private readonly codes = new Map<string, CodeGrant>();
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(options: TestAuthorizationServerOptions = {}) {
    this.dynamicRegistration = options.dynamicRegistration ?? true;
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 3600;
    this.discovery = options.discovery ?? 'oauth';
    this.scopesSupported = options.scopesSupported ?? ['mcp:tools', 'mcp:read'];
    this.issParameter = options.issParameter ?? false;
    this.clientIdMetadataDocuments = options.clientIdMetadataDocuments ?? false;
  }

  /** A pre-registered client (what an admin would set up by hand), or a client ID metadata document
   *  as if fetched from its URL (an https URL cannot be served from here). */
  addClient(client: TestClient): void {
    this.clients.set(client.client_id, client);
  }

  /** A resource (RFC 8707) tokens may be issued for. */
  addResource(resource: string): void {
    this.resources.add(resource);
  }

  /** The grant behind an access token, when it is valid, unexpired and issued for `resource`. */
  verifyAccessToken(token: string, resource: string): AccessGrant | undefined {
    const grant = this.accessTokens.get(token);
    if (!grant || grant.resource !== resource || Date.now() >= grant.expiresAt) return undefined;
    return grant;
  }

  /** Invalidates every access token issued so far (refresh tokens stay valid). */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  metadata(): Record<string, unknown> {
    const base = {
      issuer: this.issuer,
      authorization_endpoint: `${this.issuer}/authorize`,
      token_endpoint: `${this.issuer}/token`,
      ...(this.dynamicRegistration ? { registration_endpoint: `${this.issuer}/register` } : {}),
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      scopes_supported: this.scopesSupported,
      ...(this.issParameter ? { authorization_response_iss_parameter_supported: true } : {}),
      ...(this.clientIdMetadataDocuments ? { client_id_metadata_document_supported: true } : {}),
    };
    return this.discovery === 'oidc'
      ? { ...base, jwks_uri: `${this.issuer}/jwks`, subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] }
      : base;
  }

  /** Answers the request when it is for one of the authorization server's paths; false otherwise. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const wellKnown = this.discovery === 'oidc' ? '/.well-known/openid-configuration' : '/.well-known/oauth-authorization-server';
    if (req.method === 'GET' && url.pathname === wellKnown) sendJson(res, 200, this.metadata());
    else if (url.pathname === '/register' && req.method === 'POST' && this.dynamicRegistration) await this.register(req, res);
    else if (url.pathname === '/authorize' && req.method === 'GET') this.authorize(url, res);
    else if (url.pathname === '/token' && req.method === 'POST') await this.token(req, res);
    else return false;
    return true;
  }

  private async register(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, { error: 'invalid_client_metadata', error_description: 'body is not JSON' });
      return;
    }
    const redirectUris = body.redirect_uris;
    if (!Array.isArray(redirectUris) || redirectUris.length === 0 || !redirectUris.every((uri) => typeof uri === 'string')) {
      sendJson(res, 400, { error: 'invalid_redirect_uri', error_description: 'redirect_uris must be a non-empty list' });
      return;
    }
    const authMethod = typeof body.token_endpoint_auth_method === 'string' ? body.token_endpoint_auth_method : 'client_secret_basic';
    const client: TestClient = {
      client_id: `dyn-${randomToken(8)}`,
      ...(authMethod === 'none' ? {} : { client_secret: randomToken(24) }),
      redirect_uris: redirectUris as string[],
    };
    this.addClient(client);
    this.counters.registrations++;
    sendJson(res, 201, {
      ...body,
      ...client,
      token_endpoint_auth_method: authMethod,
      client_id_issued_at: Math.floor(Date.now() / 1000),
    });
  }

  private authorize(url: URL, res: ServerResponse): void {
    const params = url.searchParams;
    this.lastAuthorizationRequest = params;
    this.counters.authorizations++;
    const client = this.clients.get(params.get('client_id') ?? '');
    const redirectUri = params.get('redirect_uri') ?? '';
    // Without a known client and one of its redirect URIs there is nowhere safe to send an error.
    if (!client) return sendText(res, 400, 'unknown client_id');
    if (!client.redirect_uris.includes(redirectUri)) return sendText(res, 400, 'redirect_uri is not registered for this client');
    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const iss = this.issOverride === undefined ? (this.issParameter ? this.issuer : null) : this.issOverride;
    if (iss !== null) back.searchParams.set('iss', iss);
    const refuse = (error: string, description: string) => {
      back.searchParams.set('error', error);
      back.searchParams.set('error_description', description);
      redirect(res, back);
    };
    if (params.get('response_type') !== 'code') return refuse('unsupported_response_type', 'only code is supported');
    const codeChallenge = params.get('code_challenge');
    if (!codeChallenge || params.get('code_challenge_method') !== 'S256') return refuse('invalid_request', 'PKCE with S256 is required');
    const resource = params.get('resource');
    if (!resource || !this.resources.has(resource)) return refuse('invalid_target', `unknown resource ${resource ?? '(none)'}`);
    const scope = params.get('scope') ?? undefined;
    if (scope && !scope.split(' ').every((s) => this.scopesSupported.includes(s))) return refuse('invalid_scope', `unsupported scope ${scope}`);
    const code = randomToken(16);
    this.codes.set(code, { clientId: client.client_id, redirectUri, codeChallenge, resource, scope, expiresAt: Date.now() + CODE_TTL_MS });
    back.searchParams.set('code', code);
    redirect(res, back);
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URLSearchParams(await readBody(req));
    const grant = params.get('grant_type') ?? '';
    try {
      const client = this.authenticateClient(req, params);
      if (grant === 'authorization_code') this.issueTokens(res, this.redeemCode(client, params));
      else if (grant === 'refresh_token') this.issueTokens(res, this.redeemRefreshToken(client, params));
      else throw new OAuthFailure('unsupported_grant_type', `grant ${grant} is not supported`);
    } catch (error) {
      if (!(error instanceof OAuthFailure)) throw error;
      this.counters.refusedTokenRequests++;
      this.tokenErrors.push({ grant, error: error.error, description: error.description });
      sendJson(res, error.status, { error: error.error, error_description: error.description });
    }
  }

  private authenticateClient(req: IncomingMessage, params: URLSearchParams): TestClient {
    let clientId = params.get('client_id') ?? '';
    let secret = params.get('client_secret') ?? undefined;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString();
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      secret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const client = this.clients.get(clientId);
    if (!client) throw new OAuthFailure('invalid_client', 'unknown client', 401);
    if (client.client_secret !== undefined && client.client_secret !== secret) throw new OAuthFailure('invalid_client', 'wrong client secret', 401);
    return client;
  }

  private redeemCode(client: TestClient, params: URLSearchParams): RefreshGrant {
    const code = params.get('code') ?? '';
    const grant = this.codes.get(code);
    this.codes.delete(code); // single use, even when the exchange fails
    if (!grant || Date.now() > grant.expiresAt) throw new OAuthFailure('invalid_grant', 'unknown, used or expired code');
    if (grant.clientId !== client.client_id) throw new OAuthFailure('invalid_grant', 'code was issued to another client');
    if (params.get('redirect_uri') !== grant.redirectUri) throw new OAuthFailure('invalid_grant', 'redirect_uri does not match');
    const verifier = params.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.codeChallenge) {
      throw new OAuthFailure('invalid_grant', 'PKCE verification failed');
    }
    if (params.get('resource') !== grant.resource) throw new OAuthFailure('invalid_target', 'resource does not match the authorization request');
    this.counters.codeExchanges++;
    return { clientId: client.client_id, resource: grant.resource, scope: grant.scope };
  }

  private redeemRefreshToken(client: TestClient, params: URLSearchParams): RefreshGrant {
    const token = params.get('refresh_token') ?? '';
    const grant = this.refreshTokens.get(token);
    if (this.failRefresh) throw new OAuthFailure('invalid_grant', 'refresh tokens are switched off');
    if (!grant) throw new OAuthFailure('invalid_grant', 'unknown or already used refresh token');
    if (grant.clientId !== client.client_id) throw new OAuthFailure('invalid_grant', 'refresh token was issued to another client');
    const resource = params.get('resource');
    if (resource !== null && resource !== grant.resource) throw new OAuthFailure('invalid_target', 'resource does not match the grant');
    this.refreshTokens.delete(token); // rotation: a refresh token works once
    this.counters.refreshes++;
    return grant;
  }

  private issueTokens(res: ServerResponse, grant: RefreshGrant): void {
    const accessToken = `at-${randomToken(24)}`;
    const refreshToken = `rt-${randomToken(24)}`;
    this.accessTokens.set(accessToken, { ...grant, expiresAt: Date.now() + this.accessTokenTtlSeconds * 1000 });
    this.refreshTokens.set(refreshToken, grant);
    res.setHeader('Cache-Control', 'no-store');
    sendJson(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: this.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      ...(grant.scope ? { scope: grant.scope } : {}),
    });
  }
}

export interface RunningServer {
  /** The origin, e.g. http://127.0.0.1:12345 */
  url: string;
  close(): Promise<void>;
}

export interface RunningAuthorizationServer extends RunningServer {
  authServer: TestAuthorizationServer;
}

/** An authorization server on its own loopback origin. */
export async function startAuthorizationServer(options: TestAuthorizationServerOptions = {}): Promise<RunningAuthorizationServer> {
  const authServer = new TestAuthorizationServer(options);
  const running = await listen(async (req, res, url) => {
    if (!(await authServer.handle(req, res, url))) sendText(res, 404, 'not found');
  });
  authServer.issuer = running.url;
  return { ...running, authServer };
}

export interface ProtectedMcpServerOptions {
  /** The authorization server to trust. Without one, a new one is mounted on the MCP server's own origin. */
  authServer?: TestAuthorizationServer;
  authServerOptions?: TestAuthorizationServerOptions;
  /** Serve RFC 9728 metadata and name it in the 401 challenge. Default true; without it clients must
   *  fall back to discovery on the origin (so the authorization server must be mounted there). */
  resourceMetadata?: boolean;
}

export interface ProtectedMcpServer extends RunningServer {
  /** The streamable-HTTP endpoint (also its RFC 8707 resource). */
  mcpUrl: string;
  /** The SSE endpoint (also its RFC 8707 resource); messages go to /messages. */
  sseUrl: string;
  authServer: TestAuthorizationServer;
  counters: { unauthorized: number; authorized: number };
}

/** An MCP server (tools `echo` and `whoami`) over streamable HTTP at /mcp and SSE at /sse, behind OAuth. */
export async function startProtectedMcpServer(options: ProtectedMcpServerOptions = {}): Promise<ProtectedMcpServer> {
  const withMetadata = options.resourceMetadata ?? true;
  const authServer = options.authServer ?? new TestAuthorizationServer(options.authServerOptions);
  const mounted = !options.authServer;
  const counters = { unauthorized: 0, authorized: 0 };
  const sseSessions = new Map<string, { transport: SSEServerTransport; resource: string }>();
  let origin = '';

  // Answers 401 and returns undefined unless the request carries a token issued for `resource`.
  const authorize = (req: IncomingMessage, res: ServerResponse, endpoint: '/mcp' | '/sse'): AccessGrant | undefined => {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = token ? authServer.verifyAccessToken(token, origin + endpoint) : undefined;
    if (grant) {
      counters.authorized++;
      return grant;
    }
    counters.unauthorized++;
    const params = [
      ...(token ? ['error="invalid_token"'] : []),
      ...(withMetadata ? [`resource_metadata="${origin}/.well-known/oauth-protected-resource${endpoint}"`] : []),
    ];
    res.setHeader('WWW-Authenticate', params.length > 0 ? `Bearer ${params.join(', ')}` : 'Bearer realm="mcp"');
    sendJson(res, 401, { error: 'invalid_token', error_description: 'a valid access token is required' });
    return undefined;
  };

  const running = await listen(async (req, res, url) => {
    const path = url.pathname;
    if (mounted && (await authServer.handle(req, res, url))) return;
    if (withMetadata && req.method === 'GET' && (path === '/.well-known/oauth-protected-resource/mcp' || path === '/.well-known/oauth-protected-resource/sse')) {
      sendJson(res, 200, {
        resource: origin + path.slice('/.well-known/oauth-protected-resource'.length),
        authorization_servers: [authServer.issuer],
        scopes_supported: ['mcp:tools'],
        bearer_methods_supported: ['header'],
      });
    } else if (path === '/mcp') {
      const grant = authorize(req, res, '/mcp');
      if (!grant) return;
      // Stateless: one server and transport per POST; no standalone GET stream.
      if (req.method !== 'POST') return sendText(res, 405, 'method not allowed');
      const server = toolServer(grant);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } else if (path === '/sse' && req.method === 'GET') {
      const grant = authorize(req, res, '/sse');
      if (!grant) return;
      const transport = new SSEServerTransport('/messages', res);
      sseSessions.set(transport.sessionId, { transport, resource: grant.resource });
      res.on('close', () => sseSessions.delete(transport.sessionId));
      await toolServer(grant).connect(transport);
    } else if (path === '/messages' && req.method === 'POST') {
      const session = sseSessions.get(url.searchParams.get('sessionId') ?? '');
      if (!session) return sendText(res, 404, 'unknown session');
      if (!authorize(req, res, '/sse')) return;
      await session.transport.handlePostMessage(req, res);
    } else {
      sendText(res, 404, 'not found');
    }
  });
  origin = running.url;
  if (mounted) authServer.issuer = origin;
  authServer.addResource(`${origin}/mcp`);
  authServer.addResource(`${origin}/sse`);
  return {
    ...running,
    mcpUrl: `${origin}/mcp`,
    sseUrl: `${origin}/sse`,
    authServer,
    counters,
    close: async () => {
      await Promise.all([...sseSessions.values()].map(({ transport }) => transport.close()));
      await running.close();
    },
  };
}

function toolServer(grant: AccessGrant): McpServer {
  const server = new McpServer({ name: 'protected-test-server', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes the text back', inputSchema: { text: z.string() } }, ({ text }) => ({
    content: [{ type: 'text', text: `echo: ${text}` }],
  }));
  server.registerTool('whoami', { description: 'The OAuth client the token was issued to' }, () => ({
    content: [{ type: 'text', text: grant.clientId }],
  }));
  return server;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

async function listen(handler: Handler): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    handler(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain' }).end(text);
}

function redirect(res: ServerResponse, location: URL): void {
  res.writeHead(302, { Location: location.href }).end();
}

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
