// A real gateway for tests: temp data dir, SQLite (or a fresh PostgreSQL database), a free port,
// an encrypted-file secret store, and helpers to connect MCP clients to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../main/core/index.ts';
import { AdminClient } from '../../main/core/api/client.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { createLogger, silentLogger } from '../../main/core/telemetry/logger.ts';
import { freshPostgres, freshSqlite, type TestLocation } from './databases.ts';

export interface TestGateway {
  gateway: Gateway;
  url: string;
  api: AdminClient;
  dataDir: string;
  /** Connects an MCP client over streamable HTTP to `path` (default /mcp), with a bearer token when given. */
  connect(path?: string, capabilities?: ClientCapabilities, token?: string): Promise<Client>;
  /** Connects an MCP client over the legacy SSE transport. */
  connectSse(capabilities?: ClientCapabilities, token?: string): Promise<Client>;
  /** An admin API client that sends `token`. */
  apiAs(token: string): AdminClient;
  close(): Promise<void>;
}

export async function startTestGateway(
  options: { storeKind?: 'sqlite' | 'postgres'; location?: TestLocation } & Partial<Omit<GatewayOptions, 'store'>> = {},
): Promise<TestGateway> {
  const where = options.location ?? (options.storeKind === 'postgres' ? await freshPostgres() : await freshSqlite());
  const dataDir = mkdtempSync(join(tmpdir(), 'canopy-gw-'));
  const { storeKind: _kind, location: _location, ...gatewayOptions } = options;
  const gateway = await createGateway({
    port: 0,
    dataDir,
    // CANOPY_TEST_LOG=1 shows the gateway's log while debugging a test.
    logger: process.env.CANOPY_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger(),
    secretStore: new FileSecretStore(dataDir),
    // The apps' configs are looked for in an empty home, not the developer's.
    appsHost: { home: join(dataDir, 'home'), platform: 'linux', env: {} },
    ...gatewayOptions,
    store: where.location,
  });
  await gateway.start();
  const clients: Client[] = [];
  const connectWith = async (transport: StreamableHTTPClientTransport | SSEClientTransport, capabilities: ClientCapabilities) => {
    const client = new Client({ name: 'canopy-test', version: '1.0.0' }, { capabilities });
    await client.connect(transport);
    clients.push(client);
    return client;
  };
  return {
    gateway,
    url: gateway.url,
    api: new AdminClient({ baseUrl: gateway.url }),
    dataDir,
    connect: (path = '/mcp', capabilities = {}, token) =>
      connectWith(new StreamableHTTPClientTransport(new URL(`${gateway.url}${path}`), { requestInit: bearer(token) }), capabilities),
    connectSse: (capabilities = {}, token) =>
      connectWith(
        new SSEClientTransport(new URL(`${gateway.url}/sse`), {
          requestInit: bearer(token),
          // The SSE stream itself is a GET made by EventSource: it needs the header too.
          eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), ...bearer(token)?.headers } }) },
        }),
        capabilities,
      ),
    apiAs: (token) => new AdminClient({ baseUrl: gateway.url, token }),
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await gateway.stop();
      if (!options.location) await where.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function bearer(token: string | undefined): { headers: Record<string, string> } | undefined {
  return token ? { headers: { authorization: `Bearer ${token}` } } : undefined;
}

/**
 * Polls `check` until it returns a truthy value (bounded: `timeoutMs`, 50 ms steps). `what` names the
 * condition in the timeout error; as a function it is read at the timeout, to report the last state.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what: string | (() => string) = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}${last ? `: ${String(last)}` : ''}`);
}
