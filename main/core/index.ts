// The gateway's public face: `createGateway(options)` wires store, secrets, upstreams, downstream
// MCP endpoints and the admin API. Electron's main process, `canopy serve` and the tests all use it.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { openStore, type StoreLocation } from './store/open.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import type { ServerConfig } from './config/server-config.ts';
import { chooseSecretStore } from './secrets/choose-secret-store.ts';
import type { GatewayMode, StatusView } from './api/contract.ts';
import { createApiRoutes } from './api/routes.ts';
import { Registry } from './registry/registry.ts';
import { GatewayCore } from './gateway/gateway-core.ts';
import { McpEndpoints } from './gateway/mcp-endpoints.ts';
import { createHttpServer } from './http/server.ts';
import { isLoopbackHostname } from './http/origin-guard.ts';
import { createUpstreamConnection, upstreamHeaders } from './upstream/index.ts';
import { UpstreamOAuth } from './upstream/oauth/upstream-oauth.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { CanopyError } from './errors.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7450;
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export interface GatewayOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 7450; 0 picks a free port. */
  port?: number;
  store: StoreLocation;
  /** Where Canopy keeps local files (secrets fallback, …). */
  dataDir: string;
  mode?: GatewayMode;
  /** Base environment for stdio servers (the login-shell environment); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the secret backend chosen from the store kind. */
  secretStore?: SecretStore;
  /** Directory of the built web UI served at `/`; omitted: no UI. */
  rendererDir?: string;
  /** Host names (besides loopback names) requests may carry, for a gateway reached by name. */
  allowedHosts?: string[];
  /** Origins (besides loopback) browsers may call from. */
  allowedOrigins?: string[];
  logger?: Logger;
  /** How long a registration waits for a new server to start. Default 30 s. */
  initializeTimeoutMs?: number;
}

export interface GatewayEvents {
  /** A server was added, removed, toggled, or its state or catalog changed. */
  changed: [];
}

export interface Gateway {
  /** Listens; rejects with a clear error when the port is taken. */
  start(): Promise<void>;
  /** Closes sessions, stops every upstream (no child outlives it), closes the store. */
  stop(): Promise<void>;
  /** Base URL, e.g. http://127.0.0.1:7450 (known after start). */
  readonly url: string;
  readonly events: EventEmitter<GatewayEvents>;
  /** Registry operations (the tray and the window use these in-process). */
  readonly registry: Registry;
  readonly logger: Logger;
}

/** A port that is taken: the message says what to do. */
export class PortInUseError extends CanopyError {
  constructor(readonly port: number) {
    super('conflict', `port ${port} is in use: stop the other process or pick another port (--port, CANOPY_PORT or Settings)`);
  }
}

/** A remote server without static credentials may use OAuth; one with a token or an Authorization header does not. */
function usesOAuth(config: ServerConfig): boolean {
  if (config.transport === 'stdio' || config.bearer_token) return false;
  return !Object.keys(config.headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
}

export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? createLogger();
  const host = options.host ?? DEFAULT_HOST;
  const mode: GatewayMode = options.mode ?? 'development';
  const store = await openStore(options.store);
  const secrets =
    options.secretStore ??
    (await chooseSecretStore({ storeKind: options.store.kind, dataDir: options.dataDir, db: store.db, env: process.env }));
  const secretsStatus = secrets.describe();
  if (secretsStatus.warning) logger.warn(secretsStatus.warning);

  let url = `http://${host.includes(':') ? `[${host}]` : host}:${options.port ?? DEFAULT_PORT}`;
  const events = new EventEmitter<GatewayEvents>();
  // Made at start, once the port (and so the OAuth redirect URI) is known; connections and the
  // callback only run after that.
  let oauth!: UpstreamOAuth;

  // `core` is created after the registry (it reads from it); connections made before then have
  // nothing to relay to yet, so the late binding is safe.
  let core: GatewayCore | undefined;
  const registry = new Registry({
    store,
    secrets,
    logger,
    describe: (): Omit<StatusView, 'secrets' | 'store'> => ({ version: VERSION, mode, mcpUrl: `${url}/mcp` }),
    connections: {
      create(config) {
        const connection = createUpstreamConnection(config, {
          env: options.env,
          initializeTimeoutMs: options.initializeTimeoutMs,
          authProvider: usesOAuth(config) ? oauth.providerFor(config) : undefined,
          clientInfo: { name: 'canopy', version: VERSION },
          logger: (level, message, server) => logger[level]({ server }, message),
        });
        connection.setServerRequestHandler((request, signal) => core!.routeServerRequest(config.name, request, signal));
        connection.on('notification', (notification) => void core?.relayUpstreamNotification(config.name, notification));
        let wasRunning = false;
        connection.on('state', (state) => {
          if (state.status === 'running' && !wasRunning) void core?.restoreUpstreamSession(config.name);
          wasRunning = state.status === 'running';
        });
        return connection;
      },
      startAuthorization: async (config) => {
        if (!config.url) throw new CanopyError('bad_request', `server '${config.name}' has no url: OAuth applies to HTTP servers`);
        return (await oauth.startAuthorization({ ...config, url: config.url })).authorizationUrl;
      },
      forgetAuthorization: (server) => oauth.forget(server),
      credentialWarnings: (config) => (config.transport === 'stdio' ? [] : upstreamHeaders(config).warnings),
    },
  });
  core = new GatewayCore({ source: registry, version: VERSION });
  const endpoints = new McpEndpoints(core);
  registry.on('changed', () => {
    core!.invalidate();
    events.emit('changed');
  });

  const api = createApiRoutes({ registry, invokeTool: (name, input) => core!.invokeTool(name, input), logger });
  const server = createHttpServer({
    endpoints,
    api,
    logger,
    rendererDir: options.rendererDir,
    originPolicy: { allowedHosts: options.allowedHosts ?? [], allowedOrigins: options.allowedOrigins ?? [] },
    serverExists: (name) => [...registry.servers()].some((s) => s.name === name),
    health: () => ({ status: 'ok', version: VERSION, mode, sessions: endpoints.openSessions }),
    mcpCaller: async () => ({}),
    completeOAuth: async (params) => {
      const name = await oauth.completeAuthorization(Object.fromEntries(params));
      await registry.authorizationCompleted(name);
      return name;
    },
  });

  let started = false;
  return {
    get url() {
      return url;
    },
    events,
    registry,
    logger,
    async start() {
      if (!isLoopbackHostname(host) && !options.allowedHosts?.length) {
        logger.warn({ host }, 'listening beyond loopback without CANOPY_ALLOWED_HOSTS: only loopback Host names are accepted');
      }
      await new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
          reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port ?? DEFAULT_PORT) : error);
        };
        server.once('error', onError);
        server.listen(options.port ?? DEFAULT_PORT, host, () => {
          server.off('error', onError);
          resolve();
        });
      });
      const port = (server.address() as AddressInfo).port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      oauth = new UpstreamOAuth({ secrets, redirectUri: `${url}/oauth/callback` });
      endpoints.start();
      started = true;
      await registry.load();
      logger.info({ url: `${url}/mcp`, store: options.store.kind, secrets: secretsStatus.kind }, 'Canopy is listening');
    },
    async stop() {
      await endpoints.stop();
      if (started) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await registry.stopAll();
      await store.close();
    },
  };
}
