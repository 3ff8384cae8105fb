// The access checks at the HTTP edge, fail closed. MCP endpoints need an MCP client's token; the
// admin API a token whose identity has the route's level; /metrics an administrator (or
// CANOPY_METRICS_PUBLIC=1). 503 before initialization, 401 for a missing or bad token, 403 for a
// known identity without access. In development mode every check passes.
import { jsonRpcError } from '../gateway/json-rpc-error.ts';
import type { MiddlewareHandler } from 'hono';
import { API_PREFIX } from '../model/endpoints.ts';
import type { ErrorBody, ErrorCode } from '../model/errors.ts';
import { HTTP_STATUS } from '../errors.ts';
import type { ViewSpec } from '../gateway/catalog.ts';
import type { Caller } from '../gateway/mcp-endpoints.ts';
import type { AccessControl, Authentication, Principal } from './access-control.ts';
import { requiredLevel } from './api-permissions.ts';
import { bearerToken } from './tokens.ts';

/** Hono variables the admin API's handlers read. */
export type ApiEnv = { Variables: { principal?: Principal } };

const NOT_INITIALIZED =
  'this enterprise gateway is not initialized: run `canopy init-server` on the gateway host (or with --init-token, the init token shown in its start banner)';

const AUTHENTICATE = { 'www-authenticate': 'Bearer realm="canopy"' };

function apiRefusal(code: ErrorCode, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return Response.json(body, { status: HTTP_STATUS[code], headers: code === 'unauthorized' ? AUTHENTICATE : {} });
}

function mcpRefusal(code: ErrorCode, message: string): Response {
  return jsonRpcError(HTTP_STATUS[code], -32001, message, { headers: code === 'unauthorized' ? AUTHENTICATE : {} });
}

export interface AccessGuardOptions {
  enterprise: boolean;
  access: AccessControl;
  /** Reloads access from the store (another replica may have initialized the gateway). */
  refresh: () => Promise<void>;
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

  /** Authenticates a request: a principal, or the refusal to answer with. */
  private async authenticate(request: Request, refuse: (code: ErrorCode, message: string) => Response): Promise<Principal | Response> {
    if (!this.options.access.initialized) await this.refreshThrottled();
    if (!this.options.access.initialized) return refuse('not_initialized', NOT_INITIALIZED);
    const result: Authentication = this.options.access.authenticate(bearerToken(request.headers.get('authorization')));
    return result.ok ? result.principal : refuse('unauthorized', result.reason);
  }

  /** Decides who calls an MCP endpoint and what they see there. */
  async mcpCaller(request: Request, spec: ViewSpec): Promise<Caller | Response> {
    if (!this.options.enterprise) return {};
    const principal = await this.authenticate(request, mcpRefusal);
    if (principal instanceof Response) return principal;
    if (principal.kind !== 'client') {
      return mcpRefusal('forbidden', `user tokens are for the admin API: MCP endpoints need an MCP client token (\`canopy create mcp-client NAME --allow ...\`)`);
    }
    const { allowList, name } = principal;
    if (spec.kind === 'server' && !allowList.reachesServer(spec.server)) {
      return mcpRefusal('forbidden', `MCP client '${name}' may not use server '${spec.server}': an administrator can add it with \`canopy update mcp-client ${name} --allow ...\``);
    }
    if (spec.kind === 'group' && !allowList.reachesGroup(spec.group)) {
      return mcpRefusal('forbidden', `MCP client '${name}' may not use group '${spec.group}': an administrator can add it with \`canopy update mcp-client ${name} --allow ...\``);
    }
    return this.options.access.callerOf(principal);
  }

  /** Admin API middleware: checks the route's level and sets `principal`. */
  readonly api: MiddlewareHandler<ApiEnv> = async (c, next) => {
    if (!this.options.enterprise) return next();
    const level = requiredLevel(c.req.method, c.req.path.slice(API_PREFIX.length));
    if (level === 'public') return next();
    const principal = await this.authenticate(c.req.raw, apiRefusal);
    if (principal instanceof Response) return principal;
    const refusal = refusalFor(principal, level);
    if (refusal) return apiRefusal('forbidden', refusal);
    c.set('principal', principal);
    return next();
  };

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
