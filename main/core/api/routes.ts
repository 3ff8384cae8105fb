// The admin REST API under /api/v0. Thin: validates the request shape, calls the registry (or the
// identity, group and audit services), maps errors to `{"error": {"code", "message"}}`. The CLI and
// the UI use nothing else. The access guard runs first: who may call what is decided there.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { CanopyError, HTTP_STATUS } from '../errors.ts';
import { ConfigError } from '../config/config-error.ts';
import { SecretStoreError } from '../secrets/secret-store.ts';
import { ConnectAppError } from '../connect-apps/connect.ts';
import { isDatabaseUnreachable, isUnstorableText } from '../store/dialect.ts';
import { stream } from 'hono/streaming';
import { API_PREFIX, NDJSON, type ErrorBody, type ErrorCode, type InvokeStreamLine, type InvokeToolResult, type ReadResourceView, type ToolView } from './contract.ts';
import type { CallOptions } from '../gateway/gateway-core.ts';
import { ProtocolErrorCode, SdkError } from '@modelcontextprotocol/client';
import { JsonRpcError } from '../upstream/json-rpc-error.ts';
import { ConnectionRequired } from '../gateway/connection-required.ts';
import type { Registry } from '../registry/registry.ts';
import { registrationView, serverView, type ServerViews } from './server-views.ts';
import type { Logger } from '../telemetry/logger.ts';
import type { AuditTrail } from '../telemetry/audit-trail.ts';
import type { Caller } from '../gateway/mcp-endpoints.ts';
import type { AccessGuard, ApiEnv } from '../access/access-guard.ts';
import type { Principal } from '../access/access-control.ts';
import type { GroupAdmin } from '../access/group-admin.ts';
import { readJson } from './read-json.ts';
import { splitQualifiedResourceUri } from '../config/names.ts';
import { identityRoutes, type IdentityRouteServices } from './identity-routes.ts';
import { groupRoutes } from './group-routes.ts';
import { connectionRoutes, type ConnectionRouteServices } from './connection-routes.ts';
import { setupRoutes, type SetupRouteServices } from './setup-routes.ts';
import { auditAdminChanges, auditRoutes } from './audit-routes.ts';

const registerBody = z.object({
  config: z.record(z.string(), z.unknown()),
  force: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
const overrideBody = z.strictObject({
  name: z.string().nullable().optional(),
  description: z.string().max(10_000, 'must be at most 10000 characters').nullable().optional(),
  hidden: z.boolean().optional(),
});
const invokeBody = z.object({ input: z.record(z.string(), z.unknown()).default({}) });
const readResourceBody = z.strictObject({ uri: z.string().min(1) });

/**
 * A call made on the caller's behalf failed: the call pipeline's refusals and the upstream's errors
 * are JSON-RPC errors (-32602: the request named something the caller cannot call), as admin-API errors.
 */
async function asApiError<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    // A per-user server the caller has no account of: what to do, never someone else's access.
    if (error instanceof ConnectionRequired) throw new CanopyError(error.problem === 'no_user' ? 'forbidden' : 'conflict', error.message);
    if (error instanceof JsonRpcError) throw new CanopyError(error.code === ProtocolErrorCode.InvalidParams ? 'bad_request' : 'upstream_error', error.message);
    // The upstream connection's own failures (a timeout, a closed connection) carry no JSON-RPC code.
    if (error instanceof SdkError) throw new CanopyError('upstream_error', error.message);
    throw error;
  }
}

function errorResponse(c: Context, code: ErrorCode, message: string) {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, HTTP_STATUS[code] as 400);
}

export interface ApiServices extends IdentityRouteServices {
  registry: Registry;
  views: ServerViews;
  /** Calls a tool through the gateway's own routing (switches, allow-lists, telemetry). */
  invokeTool(name: string, input: Record<string, unknown>, caller: Caller, options?: CallOptions): Promise<InvokeToolResult>;
  /** Reads a resource through the gateway's own routing, like `invokeTool`. */
  readResource(uri: string, caller: Caller): Promise<ReadResourceView>;
  guard: AccessGuard;
  /** The MCP caller an identity is (its allow-list applies to what it lists and invokes here too). */
  callerOf(principal: Principal | undefined): Caller;
  groups: GroupAdmin;
  /** Undefined in development mode (no audit log). */
  audit: AuditTrail | undefined;
  logger: Logger;
  setup: SetupRouteServices;
  connections: ConnectionRouteServices;
}

type ItemKind = 'tool' | 'prompt' | 'resource';

/** What an MCP client's allow-list lets it see of a list; users and admins see everything. */
function visibleTo<T extends { server: string; originalName?: string }>(c: Context<ApiEnv>, kind: ItemKind, items: T[]): T[] {
  const principal = c.get('principal');
  if (principal?.kind !== 'client') return items;
  return items.filter((item) => principal.allowList.allows(item.server, kind, kind === 'resource' ? '*' : item.originalName!));
}

/**
 * A list, narrowed to `?server=` when given. An MCP client asking for a server its allow-list does
 * not reach gets an empty list whether or not that server exists, so it cannot probe names.
 */
function listOf<T extends { server: string; originalName?: string }>(c: Context<ApiEnv>, kind: ItemKind, list: (server?: string) => T[]): T[] {
  const server = c.req.query('server');
  const principal = c.get('principal');
  if (server !== undefined && principal?.kind === 'client' && !principal.allowList.reachesServer(server)) return [];
  return visibleTo(c, kind, list(server));
}

export function createApiRoutes(services: ApiServices): Hono {
  const { registry, views, invokeTool, logger } = services;
  const api = new Hono<ApiEnv>();

  api.onError((error, c) => {
    if (error instanceof CanopyError) return errorResponse(c, error.code, error.message);
    if (error instanceof ConfigError) return errorResponse(c, 'bad_request', error.message);
    // An app's config could not be changed (malformed, not writable): its message says what to do.
    if (error instanceof ConnectAppError) return errorResponse(c, 'bad_request', error.message);
    // The secret backend failed (keychain locked, a secret missing): its message says what to do.
    if (error instanceof SecretStoreError) return errorResponse(c, 'internal', error.message);
    if (isUnstorableText(error)) {
      return errorResponse(c, 'bad_request', 'a value contains a character the database cannot store (a NUL, \\u0000): remove it and try again');
    }
    if (isDatabaseUnreachable(error)) {
      logger.warn({ reason: (error as Error).message, path: c.req.path }, 'admin API request failed: the database is unreachable');
      return errorResponse(c, 'unavailable', 'the database is unreachable: try again once it is back (running servers keep answering meanwhile)');
    }
    logger.error({ err: error, path: c.req.path }, 'admin API request failed');
    return errorResponse(c, 'internal', 'internal error: see the Canopy log');
  });

  api.use('*', auditAdminChanges(services.audit));
  api.use('*', services.guard.api);

  api.get('/status', async (c) => c.json(await views.status()));

  api.get('/servers', async (c) => c.json(await views.listServers()));
  api.post('/servers', async (c) => {
    const body = await readJson(c, registerBody, 'request');
    return c.json(registrationView(await registry.registerServer(body)), 201);
  });
  api.get('/servers/:name', async (c) => c.json(await views.getServer(c.req.param('name'))));
  api.delete('/servers/:name', async (c) => c.json(await registry.deregisterServer(c.req.param('name'))));
  api.post('/servers/:name/enable', async (c) => c.json(serverView(await registry.setServerEnabled(c.req.param('name'), true))));
  api.post('/servers/:name/disable', async (c) => c.json(serverView(await registry.setServerEnabled(c.req.param('name'), false))));
  api.post('/servers/:name/restart', async (c) => c.json(serverView(await registry.restartServer(c.req.param('name')))));
  api.get('/servers/:name/logs', async (c) => c.json(views.serverLogs(c.req.param('name'))));
  api.post('/servers/:name/authorize', async (c) => c.json(await registry.authorizeServer(c.req.param('name'))));

  const switchItem = async (kind: 'tool' | 'prompt', name: string, enabled: boolean) => views.switchedItem(await registry.setItemEnabled(kind, name, enabled), kind, enabled);

  /** The tool `name`; an MCP client gets one answer for "no such tool" and "not yours", so it cannot probe names. */
  const toolFor = (c: Context<ApiEnv>, name: string): ToolView => {
    const principal = c.get('principal');
    if (principal?.kind !== 'client') return views.getTool(name);
    const hidden = new CanopyError('forbidden', `tool '${name}' does not exist or is not on the allow-list of MCP client '${principal.name}'`);
    let tool: ToolView;
    try {
      tool = views.getTool(name);
    } catch (error) {
      if (error instanceof CanopyError) throw hidden;
      throw error;
    }
    if (visibleTo(c, 'tool', [tool]).length === 0) throw hidden;
    return tool;
  };

  api.get('/tools', async (c) => c.json(listOf(c, 'tool', (server) => views.listTools(server))));
  api.get('/tools/:name', async (c) => c.json(toolFor(c, c.req.param('name'))));
  api.post('/tools/:name/enable', async (c) => c.json(await switchItem('tool', c.req.param('name'), true)));
  api.post('/tools/:name/disable', async (c) => c.json(await switchItem('tool', c.req.param('name'), false)));
  api.patch('/tools/:name/override', async (c) => {
    const body = await readJson(c, overrideBody, 'override');
    return c.json(views.override(await registry.setToolOverride(c.req.param('name'), body)));
  });
  api.delete('/tools/:name/override', async (c) => c.json(views.override(await registry.setToolOverride(c.req.param('name'), { name: null, description: null, hidden: false }))));
  api.get('/overrides', async (c) => c.json(views.listOverrides(c.req.query('server'))));
  api.post('/tools/:name/invoke', async (c) => {
    const body = await readJson(c, invokeBody, 'request');
    // Refused before anything runs; the gateway checks again on the call itself. Called by the name /mcp lists.
    const name = toolFor(c, c.req.param('name')).name;
    const caller = services.callerOf(c.get('principal'));
    if (!c.req.header('accept')?.includes(NDJSON)) return c.json(await asApiError(invokeTool(name, body.input, caller)));
    // Streamed: progress as it comes, then the result; the client going away cancels the call upstream.
    c.header('content-type', NDJSON);
    return stream(c, async (out) => {
      const cancel = new AbortController();
      out.onAbort(() => cancel.abort());
      c.req.raw.signal.addEventListener('abort', () => cancel.abort(), { once: true });
      const send = (line: InvokeStreamLine) => out.write(`${JSON.stringify(line)}\n`);
      try {
        const result = await asApiError(invokeTool(name, body.input, caller, { signal: cancel.signal, onprogress: (progress) => void send({ progress }) }));
        await send({ result });
      } catch (error) {
        if (cancel.signal.aborted) return;
        const known = error instanceof CanopyError;
        if (!known) logger.error({ err: error, path: c.req.path }, 'admin API request failed');
        await send({ error: known ? { code: error.code, message: error.message } : { code: 'internal', message: 'internal error: see the Canopy log' } });
      }
    });
  });

  api.get('/prompts', async (c) => c.json(listOf(c, 'prompt', (server) => views.listPrompts(server))));
  api.post('/prompts/:name/enable', async (c) => c.json(await switchItem('prompt', c.req.param('name'), true)));
  api.post('/prompts/:name/disable', async (c) => c.json(await switchItem('prompt', c.req.param('name'), false)));

  api.get('/resources', async (c) => c.json(listOf(c, 'resource', (server) => views.listResources(server))));
  // A POST (the URI goes in the body, not the path); the caller's allow-list applies in the session.
  api.post('/resources/read', async (c) => {
    const { uri } = await readJson(c, readResourceBody, 'request');
    // Refused before anything runs, with one answer for "no such server" and "not yours".
    const principal = c.get('principal');
    const server = splitQualifiedResourceUri(uri)?.server;
    if (principal?.kind === 'client' && (!server || !principal.allowList.allows(server, 'resource', '*'))) {
      throw new CanopyError('forbidden', `resource '${uri}' does not exist or is not on the allow-list of MCP client '${principal.name}'`);
    }
    return c.json(await asApiError(services.readResource(uri, services.callerOf(c.get('principal')))));
  });

  api.get('/export', async (c) => c.json(views.exportServers()));

  api.route('/', identityRoutes(services));
  api.route('/', groupRoutes(services.groups));
  api.route('/', connectionRoutes(services.connections));
  api.route('/', auditRoutes(services.audit));
  api.route('/', setupRoutes(services.setup));

  return new Hono().route(API_PREFIX, api);
}
