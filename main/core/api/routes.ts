// The admin REST API under /api/v0. Thin: validates the request shape, calls the registry, maps
// errors to `{"error": {"code", "message"}}`. The CLI and the UI use nothing else.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { CanopyError, HTTP_STATUS, badRequest } from '../errors.ts';
import { ConfigError, describeZodError } from '../config/server-config.ts';
import { API_PREFIX, type ErrorBody, type ErrorCode, type InvokeToolResult } from './contract.ts';
import { ErrorCode as McpErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Registry } from '../registry/registry.ts';
import { readBodyLimited } from '../http/read-body.ts';
import type { Logger } from '../telemetry/logger.ts';

const MAX_API_BODY_BYTES = 1024 * 1024;

const registerBody = z.object({
  config: z.record(z.string(), z.unknown()),
  force: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
const invokeBody = z.object({ input: z.record(z.string(), z.unknown()).default({}) });

function errorResponse(c: Context, code: ErrorCode, message: string) {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, HTTP_STATUS[code] as 400);
}

async function readJson<T extends z.ZodType>(c: Context, schema: T, what: string): Promise<z.output<T>> {
  const body = await readBodyLimited(c.req.raw, MAX_API_BODY_BYTES);
  if (!body.ok) throw new CanopyError('payload_too_large', `request body is larger than ${MAX_API_BODY_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(body.text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw describeZodError(parsed.error, what);
  return parsed.data;
}

export interface ApiServices {
  registry: Registry;
  /** Calls a tool through the gateway's own routing (switches, allow-lists, telemetry). */
  invokeTool(name: string, input: Record<string, unknown>): Promise<InvokeToolResult>;
  logger: Logger;
}

export function createApiRoutes({ registry, invokeTool, logger }: ApiServices): Hono {
  const api = new Hono();

  api.onError((error, c) => {
    if (error instanceof CanopyError) return errorResponse(c, error.code, error.message);
    if (error instanceof ConfigError) return errorResponse(c, 'bad_request', error.message);
    logger.error({ err: error, path: c.req.path }, 'admin API request failed');
    return errorResponse(c, 'internal', 'internal error: see the Canopy log');
  });
  api.notFound((c) => errorResponse(c, 'not_found', `no such API endpoint: ${c.req.method} ${c.req.path}`));

  api.get('/status', async (c) => c.json(await registry.status()));

  api.get('/servers', async (c) => c.json(await registry.listServers()));
  api.post('/servers', async (c) => {
    const body = await readJson(c, registerBody, 'request');
    return c.json(await registry.registerServer(body), 201);
  });
  api.get('/servers/:name', async (c) => c.json(await registry.getServer(c.req.param('name'))));
  api.delete('/servers/:name', async (c) => {
    await registry.deregisterServer(c.req.param('name'));
    return c.body(null, 204);
  });
  api.post('/servers/:name/enable', async (c) => c.json(await registry.setServerEnabled(c.req.param('name'), true)));
  api.post('/servers/:name/disable', async (c) => c.json(await registry.setServerEnabled(c.req.param('name'), false)));
  api.post('/servers/:name/restart', async (c) => c.json(await registry.restartServer(c.req.param('name'))));
  api.get('/servers/:name/logs', async (c) => c.json(registry.serverLogs(c.req.param('name'))));
  api.post('/servers/:name/authorize', async (c) => c.json(await registry.authorizeServer(c.req.param('name'))));

  api.get('/tools', async (c) => c.json(registry.listTools(c.req.query('server'))));
  api.get('/tools/:name', async (c) => c.json(registry.getTool(c.req.param('name'))));
  api.post('/tools/:name/enable', async (c) => c.json(await registry.setItemEnabled('tool', c.req.param('name'), true)));
  api.post('/tools/:name/disable', async (c) => c.json(await registry.setItemEnabled('tool', c.req.param('name'), false)));
  api.post('/tools/:name/invoke', async (c) => {
    const body = await readJson(c, invokeBody, 'request');
    const name = c.req.param('name');
    registry.getTool(name); // a clear 404 for an unknown tool before anything runs
    try {
      return c.json(await invokeTool(name, body.input));
    } catch (error) {
      if (error instanceof McpError) {
        throw new CanopyError(error.code === McpErrorCode.InvalidParams ? 'bad_request' : 'upstream_error', error.message.replace(/^MCP error -?\d+: /, ''));
      }
      throw error;
    }
  });

  api.get('/prompts', async (c) => c.json(registry.listPrompts(c.req.query('server'))));
  api.post('/prompts/:name/enable', async (c) => c.json(await registry.setItemEnabled('prompt', c.req.param('name'), true)));
  api.post('/prompts/:name/disable', async (c) => c.json(await registry.setItemEnabled('prompt', c.req.param('name'), false)));

  api.get('/resources', async (c) => c.json(registry.listResources(c.req.query('server'))));

  api.get('/export', async (c) => c.json(registry.exportServers()));

  return new Hono().route(API_PREFIX, api);
}
