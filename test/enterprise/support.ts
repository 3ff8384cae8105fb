// Enterprise-mode fixtures: a gateway on a fresh PostgreSQL database, initialized from loopback, and
// small helpers for raw HTTP checks (status codes the SDK clients would hide).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import type { TestLocation } from '../support/databases.ts';
import type { GatewayOptions } from '../../main/core/index.ts';

export interface EnterpriseGateway extends TestGateway {
  /** The administrator's token (after `initialize`). */
  adminToken: string;
}

/** An enterprise gateway on PostgreSQL; initialized (admin token at hand) unless `initialize: false`. */
export async function startEnterprise(
  options: { location?: TestLocation; initialize?: boolean; settingsEnv?: NodeJS.ProcessEnv } & Partial<Omit<GatewayOptions, 'store'>> = {},
): Promise<EnterpriseGateway> {
  const { initialize = true, ...rest } = options;
  const t = await startTestGateway({ storeKind: 'postgres', mode: 'enterprise', settingsEnv: {}, ...rest });
  const adminToken = initialize ? (await t.api.init()).token : '';
  return { ...t, adminToken };
}

export const text = (result: unknown) => ((result as CallToolResult).content[0] as { text: string }).text;

/** POSTs an MCP initialize to `path` and returns the HTTP status and JSON body. */
export async function rawInitialize(url: string, path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    }),
  });
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('application/json') ? await response.json() : await response.text();
  return { status: response.status, body };
}

/** A raw admin API request: status and parsed body (`any`: tests read whatever fields they expect). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rawApi(url: string, method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}/api/v0${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
