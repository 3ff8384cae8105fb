// The access checks at the HTTP edge, fail closed. MCP endpoints need an MCP client's token or,
// with a public URL configured, an OAuth access token for that endpoint; the admin API a token whose
// identity has the route's level; /metrics an administrator (or CANOPY_METRICS_PUBLIC=1). 503
// before initialization, 401 for a missing or bad token, 403 for a known identity without access.
// In development mode every check passes.
import { jsonRpcError } from '../gateway/json-rpc-error.ts';
import type { MiddlewareHandler } from 'hono';
import { OAuthError, OAuthErrorCode, verifyBearerToken } from '@modelcontextprotocol/server';
import { API_PREFIX } from '../model/endpoints.ts';
import type { ErrorBody, ErrorCode } from '../model/errors.ts';
import { HTTP_STATUS } from '../errors.ts';
import type { ViewSpec } from '../gateway/catalog.ts';
import type { Caller } from '../gateway/mcp-endpoints.ts';
import type { AccessControl, Authentication, Principal } from './access-control.ts';
import { requiredLevel } from './api-permissions.ts';
import { bearerToken } from './tokens.ts';
import type { AccessList } from './item-rules.ts';
import type { AccessTokenVerifier, VerifiedToken } from './access-tokens.ts';
import { endpointOfPath, MCP_SCOPE, type ChallengeError, type ProtectedResources } from './protected-resource.ts';

/** Hono variables the admin API's handlers read. */
export type ApiEnv = { Variables: { principal?: Principal } };

const NOT_INITIALIZED =
  'this enterprise gateway is not initialized: run `canopy init-server` on the gateway host (or with --init-token, the init token shown in its start banner)';

const AUTHENTICATE = { 'www-authenticate': 'Bearer realm="canopy"' };

function apiRefusal(code: ErrorCode, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return Response.json(body, { status: HTTP_STATUS[code], headers: code === 'unauthorized' ? AUTHENTICATE : {} });
}

function mcpRefusal(code: ErrorCode, message: string, headers: Record<string, string> = code === 'unauthorized' ? AUTHENTICATE : {}): Response {
  return jsonRpcError(HTTP_STATUS[code], -32001, message, { headers });
}

/** OAuth on the MCP endpoints (enterprise mode with a public URL). */
export interface OAuthResourceServer {
  resources: ProtectedResources;
  /** Undefined while no authorization server's keys are at hand: every OAuth token is refused. */
  verifier: AccessTokenVerifier | undefined;
}

/** What a caller may reach on the MCP endpoints, and how refusals name it. */
interface Grant {
  caller: Caller;
  list: AccessList;
  /** e.g. `MCP client 'cursor'` */
  who: string;
  /** The command that widens the grant. */
  widen: string;
}

export interface AccessGuardOptions {
  enterprise: boolean;
  access: AccessControl;
  oauth?: OAuthResourceServer;
  /** Reloads access from the store (another replica may have initialized the gateway). */
  refresh: () => Promise<void>;
  /**
   * The user a request's web UI session (SSO sign-in cookie) names; taken by the admin API only, when
   * the request has no Authorization header (the cross-site write guard applies as to any request).
   */
  sessionUser?: (request: Request) => Promise<string | undefined>;
  metricsPublic: boolean;
}

/** How often an uninitialized gateway looks in the store for an initialization made elsewhere. */
const UNINITIALIZED_REFRESH_MS = 1_000;

export class AccessGuard {
  private lastRefresh: { at: number; done: Promise<void> } | undefined;

  constructor(private readonly options: AccessGuardOptions) {}

  /** Reloads access at most once a second, however many requests reach an uninitialized gateway. */
  private refreshThrottled(): Promise<void> {
    const now = Date.now();
    if (!this.lastRefresh || now - this.lastRefresh.at >= UNINITIALIZED_REFRESH_MS) {
      this.lastRefresh = { at: now, done: this.options.refresh() };
    }
    return this.lastRefresh.done;
  }

  /** The 503 for a gateway that has no administrator yet (after a look in the store), else undefined. */
  private async uninitialized(refuse: (code: ErrorCode, message: string) => Response): Promise<Response | undefined> {
    if (!this.options.access.initialized) await this.refreshThrottled();
    return this.options.access.initialized ? undefined : refuse('not_initialized', NOT_INITIALIZED);
  }

  /** Authenticates a request: a principal, or the refusal to answer with. */
  private async authenticate(request: Request, refuse: (code: ErrorCode, message: string) => Response): Promise<Principal | Response> {
    const refused = await this.uninitialized(refuse);
    if (refused) return refused;
    const result: Authentication = this.options.access.authenticate(bearerToken(request.headers.get('authorization')));
    return result.ok ? result.principal : refuse('unauthorized', result.reason);
  }

  /**
   * Decides who calls an MCP endpoint and what they see there. `path` is the endpoint's path
   * (`/mcp`, `/servers/x/mcp`, `/messages`, ...): OAuth tokens are bound to it.
   */
  async mcpCaller(request: Request, spec: ViewSpec, path: string): Promise<Caller | Response> {
    if (!this.options.enterprise) return {};
    const refused = await this.uninitialized(mcpRefusal);
    if (refused) return refused;
    const token = bearerToken(request.headers.get('authorization'));
    const result = this.options.access.authenticate(token);
    const { oauth } = this.options;
    let grant: Grant | Response;
    if (result.ok) grant = this.clientGrant(result.principal);
    else if (oauth?.verifier && token && !result.known) grant = await this.oauthGrant(oauth, oauth.verifier, token, endpointOfPath(path));
    else if (oauth) grant = this.unauthorized(oauth, endpointOfPath(path), result.reason, token ? { code: 'invalid_token', description: result.reason } : undefined);
    else grant = mcpRefusal('unauthorized', result.reason);
    if (grant instanceof Response) return grant;
    const { list, who, widen } = grant;
    if (spec.kind === 'server' && !list.reachesServer(spec.server)) {
      return mcpRefusal('forbidden', `${who} may not use server '${spec.server}': an administrator can add it with ${widen}`);
    }
    if (spec.kind === 'group' && !list.reachesGroup(spec.group)) {
      return mcpRefusal('forbidden', `${who} may not use group '${spec.group}': an administrator can add it with ${widen}`);
    }
    return grant.caller;
  }

  private clientGrant(principal: Principal): Grant | Response {
    if (principal.kind !== 'client') {
      return mcpRefusal('forbidden', `user tokens are for the admin API: MCP endpoints need an MCP client token (\`canopy create mcp-client NAME --allow ...\`)`);
    }
    const { allowList, name } = principal;
    return { caller: this.options.access.callerOf(principal), list: allowList, who: `MCP client '${name}'`, widen: `\`canopy update mcp-client ${name} --allow ...\`` };
  }

  /** 401 with the challenge that sends an OAuth client to the endpoint's metadata. */
  private unauthorized(oauth: OAuthResourceServer, endpoint: string, message: string, error?: ChallengeError): Response {
    return mcpRefusal('unauthorized', message, { 'www-authenticate': oauth.resources.challenge(endpoint, error) });
  }

  /** Verifies an OAuth access token for `endpoint` (the SDK checks scope and expiry) and finds what it may reach. */
  private async oauthGrant(oauth: OAuthResourceServer, verifier: AccessTokenVerifier, token: string, endpoint: string): Promise<Grant | Response> {
    const { resources } = oauth;
    const resource = resources.resource(endpoint);
    let verified: VerifiedToken;
    try {
      verified = (await verifyBearerToken(`Bearer ${token}`, {
        verifier: verifier.forResource(resource),
        requiredScopes: [MCP_SCOPE],
        expectedResource: new URL(resource),
      })) as VerifiedToken;
    } catch (error) {
      const { code, message } = error instanceof OAuthError ? error : new OAuthError(OAuthErrorCode.ServerError, (error as Error).message);
      if (code === OAuthErrorCode.InvalidToken) return this.unauthorized(oauth, endpoint, message, { code, description: message });
      if (code === OAuthErrorCode.InsufficientScope) {
        const description = `the access token lacks the scope '${MCP_SCOPE}' that MCP endpoints need: authorize again asking for it`;
        return mcpRefusal('forbidden', description, { 'www-authenticate': resources.challenge(endpoint, { code, description }) });
      }
      return mcpRefusal('unavailable', `the access token could not be checked: ${message}`);
    }
    const { user } = verified.extra;
    const access = this.options.access.oauthAccess(user, verified.clientId, verified.extra.issuedAt);
    if (!access.ok) return mcpRefusal('forbidden', access.reason);
    return {
      caller: access.caller,
      list: access.list,
      who: `user '${user}' through OAuth client '${verified.clientId}'`,
      widen: `\`canopy update user ${user} --allow ...\` (and \`canopy update oauth-client-rule ${verified.clientId} --allow ...\` when that client has a rule)`,
    };
  }

  /** Admin API middleware: checks the route's level and sets `principal`. */
  readonly api: MiddlewareHandler<ApiEnv> = async (c, next) => {
    if (!this.options.enterprise) return next();
    const level = requiredLevel(c.req.method, c.req.path.slice(API_PREFIX.length));
    if (level === 'public') return next();
    const principal = (await this.sessionPrincipal(c.req.raw)) ?? (await this.authenticate(c.req.raw, apiRefusal));
    if (principal instanceof Response) return principal;
    const refusal = refusalFor(principal, level);
    if (refusal) return apiRefusal('forbidden', refusal);
    c.set('principal', principal);
    return next();
  };

  /** The user of a web UI session cookie, when the request carries no token and that user may act. */
  private async sessionPrincipal(request: Request): Promise<Principal | undefined> {
    if (!this.options.sessionUser || request.headers.has('authorization') || !this.options.access.initialized) return undefined;
    const name = await this.options.sessionUser(request);
    return name ? this.options.access.activeUser(name) : undefined;
  }

  /** Undefined when the request may read /metrics; else the refusal. */
  async metrics(request: Request): Promise<Response | undefined> {
    if (!this.options.enterprise || this.options.metricsPublic) return undefined;
    const principal = await this.authenticate(request, apiRefusal);
    if (principal instanceof Response) return principal;
    const refusal = refusalFor(principal, 'admin');
    return refusal ? apiRefusal('forbidden', `${refusal} (or set CANOPY_METRICS_PUBLIC=1 on the gateway)`) : undefined;
  }
}

function refusalFor(principal: Principal, level: 'any' | 'member' | 'admin'): string | undefined {
  if (level === 'any') return undefined;
  if (principal.kind === 'client') return `MCP client '${principal.name}' may only list and invoke tools: this needs a user token`;
  if (level === 'admin' && principal.role !== 'admin') return `user '${principal.name}' is not an administrator: ask one to do this`;
  return undefined;
}
