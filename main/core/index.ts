// The gateway's public face: `createGateway(options)` wires store, secrets, upstreams, downstream
// MCP endpoints and the admin API. Electron's main process, `canopy serve` and the tests all use it.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { DEFAULT_HOST, DEFAULT_PORT, VERSION } from './defaults.ts';
import { openStore, type StoreLocation } from './store/open.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import { isPerUser, MAX_IDLE_TIMEOUT_SECONDS, type ServerConfig } from './config/server-config.ts';
import { chooseSecretStore } from './secrets/choose-secret-store.ts';
import type { CliLaunch, GatewayMode, StatusView } from './api/contract.ts';
import { createApiRoutes } from './api/routes.ts';
import { Registry } from './registry/registry.ts';
import { DEFAULT_IDLE_TIMEOUT_SECONDS } from './registry/idle-sleep.ts';
import { ServerViews } from './api/server-views.ts';
import { GatewayCore } from './gateway/gateway-core.ts';
import { DEFAULT_SESSION_LIMITS, McpEndpoints, type SessionLimits } from './gateway/mcp-endpoints.ts';
import { createHttpServer } from './http/server.ts';
import { readSignInSettings } from './config/sign-in-settings.ts';
import { isLoopbackHostname } from './config/loopback.ts';
import { createUpstreamConnection, detectRemoteTransport, upstreamHeaders, type BackoffSettings, type UpstreamConnectionOptions } from './upstream/index.ts';
import type { ConnectIsolated } from './gateway/isolated-upstreams.ts';
import { childBaseEnvironment } from './upstream/child-env.ts';
import { browserCookieName, UpstreamOAuth } from './upstream/oauth/upstream-oauth.ts';
import { UserCredentials } from './connections/user-credentials.ts';
import type { PerUserOptions } from './gateway/gateway-core.ts';
import { createLogger, type Logger } from './telemetry/logger.ts';
import { metricsEnabled } from './telemetry/metrics-enabled.ts';
import { AuditTrail, DEFAULT_AUDIT_RETENTION_DAYS, actorOf } from './telemetry/audit-trail.ts';
import { AccessControl } from './access/access-control.ts';
import { AccessGuard, type OAuthResourceServer } from './access/access-guard.ts';
import { ProtectedResources } from './access/protected-resource.ts';
import { AccessTokenVerifier, discoveredKeys } from './access/access-tokens.ts';
import { IdentityAdmin } from './access/identity-admin.ts';
import { OAuthClientAdmin } from './access/oauth-client-admin.ts';
import { GroupAdmin } from './access/group-admin.ts';
import { InitBootstrap } from './access/init-bootstrap.ts';
import { TokenExpiryTimer } from './access/token-expiry.ts';
import { claimStoreMode } from './access/store-mode.ts';
import { createChangeFeed } from './store/change-feed.ts';
import type { CallRecord } from './gateway/call-pipeline.ts';
import { CanopyError } from './errors.ts';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { collectOrphanSecrets } from './secrets/orphan-secrets.ts';
import { homedir } from 'node:os';
import { createLocalJWKSet } from 'jose';
import { desktopPlatform, type HostLocation } from './connect-apps/paths.ts';

export { DEFAULT_HOST, DEFAULT_PORT, VERSION } from './defaults.ts';
export { DataDirInUseError } from './data-dir-lock.ts';

export interface GatewayOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 7450; 0 picks a free port. */
  port?: number;
  store: StoreLocation;
  /** Where Canopy keeps local files (secrets fallback, …). */
  dataDir: string;
  mode?: GatewayMode;
  /**
   * Base environment for stdio servers (the login-shell environment; a promise while the shell is
   * still read, so the gateway listens meanwhile and stdio servers wait for it); default process.env.
   */
  env?: NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv>;
  /** Overrides the secret backend chosen from the store kind. */
  secretStore?: SecretStore;
  /**
   * The key that encrypts secrets kept in a PostgreSQL store; wins over CANOPY_SECRET_KEY. The desktop
   * app keeps it in the OS keychain, where an environment variable would not survive a login.
   */
  secretKey?: string;
  /** Directory of the built web UI served at `/` (built later is picked up); omitted: no UI. */
  rendererDir?: string;
  /** How to run this installation's `canopy` command (the UI's app snippets show it). */
  cli?: CliLaunch;
  /** Where the apps' MCP configs are found for the first-run migration (default: this user's home). */
  appsHost?: HostLocation;
  /** Host names (besides loopback names) requests may carry, for a gateway reached by name. */
  allowedHosts?: string[];
  /** Origins (besides loopback) browsers may call from. */
  allowedOrigins?: string[];
  /**
   * Enterprise sign-in: the URL clients reach this gateway at (its OAuth issuer and the base of its
   * resource URLs); wins over CANOPY_PUBLIC_URL. Its host is accepted like an allowed host.
   */
  publicUrl?: string;
  /**
   * How the authorization server fetches client ID metadata documents (default: global fetch,
   * refusing loopback and private addresses). Tests pass one that reaches their loopback HTTPS server.
   */
  clientMetadataFetch?: typeof fetch;
  logger?: Logger;
  /** How long a registration waits for a new server to start. Default 30 s. */
  initializeTimeoutMs?: number;
  /** Restart timing of upstream connections (default: 1 s doubling to 60 s); tests shorten it. */
  upstreamBackoff?: Partial<BackoffSettings>;
  /** A session with no request and no open stream for this long is closed. Default 1 h. */
  idleSessionMs?: number;
  /** Overrides the session limits (else CANOPY_MAX_SESSIONS, CANOPY_MAX_SESSIONS_PER_CLIENT, defaults). */
  sessionLimits?: Partial<SessionLimits>;
  /**
   * Read for OTEL_ENABLED, OTEL_EXPORTER_OTLP_*, CANOPY_METRICS_PUBLIC, CANOPY_INIT_TOKEN,
   * CANOPY_AUDIT_RETENTION_DAYS, CANOPY_MAX_SESSIONS, CANOPY_MAX_SESSIONS_PER_CLIENT,
   * CANOPY_IDLE_TIMEOUT_SECONDS, CANOPY_PUBLIC_URL and CANOPY_SSO_*; default process.env.
   */
  settingsEnv?: NodeJS.ProcessEnv;
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
  /** What the admin API shows of the registry (the tray lists servers with it). */
  readonly views: ServerViews;
  readonly logger: Logger;
  /**
   * Set while an enterprise gateway has no administrator yet: `initToken` is the bootstrap secret it
   * generated (absent when CANOPY_INIT_TOKEN is set). For a start banner; never logged.
   */
  pendingInitialization(): { initToken?: string } | undefined;
  /** Enterprise sign-in, for a start banner: the public URL, and who signs people in (no secrets). */
  readonly signIn?: { publicUrl: string; companyIdp?: string; externalIssuer?: string };
}

/** A port that is taken: the message says what to do. */
export class PortInUseError extends CanopyError {
  constructor(readonly port: number) {
    super('conflict', `port ${port} is in use: stop the other process or pick another port (--port, CANOPY_PORT or Settings)`);
  }
}

/** A whole-number setting from the environment (1 or more); `fallback` when unset. */
function wholeNumberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, unit = ''): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new CanopyError('bad_request', `${name} must be a whole number${unit} (1 or more), not "${value}"`);
  return number;
}

function sessionLimits(env: NodeJS.ProcessEnv, overrides: Partial<SessionLimits> = {}): SessionLimits {
  return {
    ...DEFAULT_SESSION_LIMITS,
    maxSessions: wholeNumberSetting(env, 'CANOPY_MAX_SESSIONS', DEFAULT_SESSION_LIMITS.maxSessions),
    maxSessionsPerClient: wholeNumberSetting(env, 'CANOPY_MAX_SESSIONS_PER_CLIENT', DEFAULT_SESSION_LIMITS.maxSessionsPerClient),
    ...overrides,
  };
}

/** Serializes reloads, so an older picture never overwrites a newer one. */
function inOrder(work: () => Promise<void>): () => Promise<void> {
  let last = Promise.resolve();
  return () => (last = last.then(work, work));
}

/** A remote server without static credentials may use OAuth; one with a token or an Authorization header does not, nor a per-user one (its users' own OAuth). */
function usesOAuth(config: ServerConfig): boolean {
  if (config.transport === 'stdio' || config.bearer_token || isPerUser(config)) return false;
  return !Object.keys(config.headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
}

/** Creates a gateway on `options.dataDir`; throws DataDirInUseError when another gateway runs on it. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const lock = await lockDataDir(options.dataDir);
  try {
    return await assembleGateway(options, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function assembleGateway(options: GatewayOptions, lock: DataDirLock): Promise<Gateway> {
  const logger = options.logger ?? createLogger();
  const host = options.host ?? DEFAULT_HOST;
  const mode: GatewayMode = options.mode ?? 'development';
  const enterprise = mode === 'enterprise';
  const env = options.settingsEnv ?? process.env;
  // Settings are checked before anything opens, so a bad value leaves nothing behind.
  const limits = sessionLimits(env, options.sessionLimits);
  const auditRetentionDays = enterprise ? wholeNumberSetting(env, 'CANOPY_AUDIT_RETENTION_DAYS', DEFAULT_AUDIT_RETENTION_DAYS, ' of days') : 0;
  const signIn = enterprise ? readSignInSettings(options.publicUrl, env) : undefined;
  const idleTimeoutSeconds = wholeNumberSetting(env, 'CANOPY_IDLE_TIMEOUT_SECONDS', DEFAULT_IDLE_TIMEOUT_SECONDS, ' of seconds');
  if (idleTimeoutSeconds > MAX_IDLE_TIMEOUT_SECONDS) {
    throw new CanopyError('bad_request', `CANOPY_IDLE_TIMEOUT_SECONDS must be at most ${MAX_IDLE_TIMEOUT_SECONDS} (one day), not "${idleTimeoutSeconds}"`);
  }
  const store = await openStore(options.store, {
    onConnectionError: (error) => logger.warn({ reason: error.message }, 'a database connection was lost; it will be replaced'),
  });
  try {
    await claimStoreMode(store.settings, mode);
  } catch (error) {
    await store.close();
    throw error;
  }
  const secrets =
    options.secretStore ??
    (await chooseSecretStore({ storeKind: options.store.kind, dataDir: options.dataDir, db: store.db, env: process.env, secretKey: options.secretKey }));
  const secretsStatus = secrets.describe();
  if (secretsStatus.warning) logger.warn(secretsStatus.warning);

  let url = `http://${host.includes(':') ? `[${host}]` : host}:${options.port ?? DEFAULT_PORT}`;
  const events = new EventEmitter<GatewayEvents>();
  // The redirect URI follows `url`, which is final once the gateway listens (port 0 picks one).
  // With a public URL, at that address: the browser coming back may be anyone's (per-user accounts), not this machine's.
  const oauth = new UpstreamOAuth({ secrets, redirectUri: () => `${signIn?.publicUrl ?? url}/oauth/callback` });
  // Per-user credentials need users: enterprise mode only.
  const credentials = enterprise ? new UserCredentials(store, secrets, oauth) : undefined;
  /** A per-user server's connection that only lists the catalog gets its token from a user who connected it. */
  const catalogAuth = (config: ServerConfig) => (credentials && config.url && isPerUser(config) ? credentials.catalogAuth({ ...config, url: config.url }) : undefined);

  const childEnv = Promise.resolve(options.env ?? process.env).then(childBaseEnvironment);
  const upstreamOptions = (config: ServerConfig): UpstreamConnectionOptions => ({
    env: childEnv,
    initializeTimeoutMs: options.initializeTimeoutMs,
    backoff: options.upstreamBackoff,
    authProvider: usesOAuth(config) && config.url ? oauth.providerFor({ ...config, url: config.url }) : catalogAuth(config),
    clientInfo: { name: 'canopy', version: VERSION },
    logger: (level, message, server) => logger[level]({ server }, message),
  });
  /** A user's own connection to a per-user server, with their credentials; none when they have not connected it. */
  const perUser: PerUserOptions | undefined = credentials && {
    connect: async (config, user) => {
      const auth = config.url ? await credentials.authFor(user, { ...config, url: config.url }) : undefined;
      return auth && createUpstreamConnection(config, { ...upstreamOptions(config), authProvider: auth });
    },
    version: (config, user) => (config.url ? credentials.version(user, { ...config, url: config.url }) : Promise.resolve(undefined)),
    // The web UI's Connections page, at the address people reach Canopy by.
    connectUrl: (server) => `${signIn?.publicUrl ?? url}/connections?server=${encodeURIComponent(server)}`,
    refused: (user, server) => credentials.noteRefused(user, server),
  };
  /** A session's own connection to a server with "isolation": "per_session". */
  const connectIsolated: ConnectIsolated = (config, clientCapabilities, handler) => {
    const connection = createUpstreamConnection(config, { ...upstreamOptions(config), clientCapabilities, servesOneClient: true });
    connection.setServerRequestHandler(handler);
    return connection;
  };

  // `core` is created after the registry (it reads from it); connections made before then have
  // nothing to relay to yet, so the late binding is safe.
  let core: GatewayCore | undefined;
  const feed = createChangeFeed(options.store, store.db, logger);
  const publishFailed = (error: unknown) => logger.warn({ err: error }, 'could not tell the other replicas about a change');
  const registry = new Registry({
    onCommitted: () => void feed.publish('registry').catch(publishFailed),
    onGroupsChanged: () => accessCommitted(),
    store,
    secrets,
    logger,
    idleTimeoutSeconds,
    perUserCredentials: credentials !== undefined,
    connections: {
      create(config, { priorEra, cachedCatalog } = {}) {
        const connection = createUpstreamConnection(config, { ...upstreamOptions(config), priorEra, cachedCatalog });
        const relayFailed = (error: unknown) => logger.warn({ server: config.name, err: error }, 'relaying to clients failed');
        // A per-user server's shared connection lists the catalog with one user's account: what it notifies (logs, updates) is that user's.
        if (!isPerUser(config)) connection.on('notification', (notification) => core?.upstreamNotified(config.name, notification));
        let wasRunning = false;
        connection.on('state', (state) => {
          if (state.status === 'running' && !wasRunning) core?.restoreUpstreamSession(config.name).catch(relayFailed);
          wasRunning = state.status === 'running';
        });
        return connection;
      },
      startAuthorization: async (config) => {
        if (!config.url) throw new CanopyError('bad_request', `server '${config.name}' has no url: OAuth applies to HTTP servers`);
        return (await oauth.startAuthorization({ ...config, url: config.url })).authorizationUrl;
      },
      forgetAuthorization: (server) => oauth.forget(server),
      dropUserCredentials: async (rows) => credentials?.dropSecrets(rows),
      credentialWarnings: (config) => (config.transport === 'stdio' ? [] : upstreamHeaders(config).warnings),
      detectTransport: (config) =>
        detectRemoteTransport(config.url!, { headers: upstreamHeaders(config).headers, clientInfo: { name: 'canopy', version: VERSION } }),
    },
  });
  const views = new ServerViews({
    registry,
    store: store.location,
    secrets,
    describe: (): Omit<StatusView, 'secrets' | 'store'> => ({ version: VERSION, mode, mcpUrl: `${url}/mcp`, ...(options.cli ? { cli: options.cli } : {}) }),
  });
  const access = new AccessControl(store);
  const audit = enterprise
    ? new AuditTrail({
        repository: store.auditLog,
        logger,
        retentionDays: auditRetentionDays,
        onWriteFailure: (entries) => metrics?.auditWriteFailed(entries),
        onDropped: (entries) => metrics?.auditDropped(entries),
      })
    : undefined;
  const recordCall = (record: CallRecord) => {
    const who = actorOf(record.identity);
    metrics?.record({
      kind: record.kind,
      server: record.server ?? '-',
      // Unresolved names are whatever a caller sent: kept out of metric labels.
      name: record.server ? record.name : '-',
      client: who.actorKind === 'client' ? who.actor : '-',
      outcome: record.outcome,
      durationMs: record.durationMs,
    });
    audit?.record({
      ...who,
      action: { tool: 'tool.call', prompt: 'prompt.get', resource: 'resource.read' }[record.kind],
      server: record.server,
      target: record.name,
      outcome: record.outcome,
      durationMs: record.durationMs,
      detail: record.error?.slice(0, 500),
    });
  };
  core = new GatewayCore({ source: registry, version: VERSION, groups: (name) => access.group(name), onCall: recordCall, connectIsolated, perUser });
  // A user's credential changed or went: their own connection is made anew at their next call.
  credentials?.on('changed', (user, server) => core?.perUser.close(user, server));
  credentials?.on('connected', (user, server) => core?.accountConnected(user, server));
  const userConnected = (server: string) => void registry.userConnected(server).catch((error: unknown) => logger.warn({ server, err: error }, 'could not list the catalog of a per-user server'));
  const endpoints = new McpEndpoints(core, {
    idleSessionMs: options.idleSessionMs ?? 60 * 60_000,
    limits,
  });
  const metrics = metricsEnabled(mode, env)
    ? (await import('./telemetry/metrics.ts')).createMetrics({
        version: VERSION,
        env,
        sources: {
          openSessions: () => endpoints.openSessions,
          upstreams: () => [...registry.servers()].map(({ name }) => ({ server: name, status: registry.connection(name)?.state.status ?? 'stopped' })),
        },
      })
    : undefined;
  registry.on('changed', () => {
    core!.invalidate();
    events.emit('changed');
  });

  // Access changed (here or on another replica): sessions of revoked tokens close, every other
  // session's lists are recomputed under the new allow-lists and groups (list_changed). Sessions
  // of a token that expires close at its expiry.
  const closeSessionsOf = async (identities: string[]) => {
    await Promise.allSettled(identities.map((identity) => endpoints.closeSessionsOf(identity)));
  };
  const expiry = new TokenExpiryTimer(access, closeSessionsOf);
  const reloadAccess = inOrder(async () => {
    await closeSessionsOf(await access.reload());
    expiry.arm();
    core!.invalidate();
  });
  const reloadRegistry = inOrder(() => registry.reload());
  const accessCommitted = async () => {
    await reloadAccess();
    await feed.publish('access').catch(publishFailed);
  };
  feed.onChange((topic) => {
    const reload = topic === 'access' ? reloadAccess : reloadRegistry;
    void reload().catch((error: unknown) => logger.error({ err: error, topic }, 'could not reload after a change on another replica'));
  });

  // With CANOPY_AUTH_ISSUER another authorization server issues the tokens: Canopy serves none.
  // Loaded only here: oidc-provider and openid-client (and their Koa) cost every other start time.
  const signInService = signIn && !signIn.externalAuth
    ? await (await import('./sign-in/sign-in.ts')).createSignIn({
        signIn,
        store,
        secrets,
        logger,
        activeUser: (name) => access.activeUser(name),
        usersChanged: accessCommitted,
        clientMetadataFetch: options.clientMetadataFetch,
      }).catch(async (error: unknown) => {
        await store.close();
        throw error;
      })
    : undefined;

  const bootstrap = new InitBootstrap(env.CANOPY_INIT_TOKEN || undefined);
  // With a public URL, MCP endpoints are OAuth protected resources too. Tokens of an external
  // authorization server are verified with its published keys, Canopy's own with its signing keys.
  const external = signIn?.externalAuth;
  const resourceServer: OAuthResourceServer | undefined = signIn && {
    resources: new ProtectedResources(signIn),
    verifier: external
      ? new AccessTokenVerifier({ issuer: external.issuer, keys: discoveredKeys(external.issuer), userClaim: external.userClaim, lenientType: true })
      : new AccessTokenVerifier({ issuer: signInService!.issuer, keys: createLocalJWKSet(signInService!.jwks) }),
  };
  const guard = new AccessGuard({ enterprise, access, oauth: resourceServer, sessionUser: signInService?.sso ? signInService.sessionUser : undefined, refresh: reloadAccess, metricsPublic: env.CANOPY_METRICS_PUBLIC === '1' });
  const api = createApiRoutes({
    registry,
    views,
    invokeTool: (name, input, caller, options) => core!.invokeTool(name, input, caller, options),
    readResource: (uri, caller) => core!.readResource(uri, caller),
    guard,
    callerOf: (principal) => access.callerOf(principal),
    identities: enterprise ? new IdentityAdmin({ store, committed: accessCommitted, credentialsDropped: async (rows) => credentials?.dropSecrets(rows) }) : undefined,
    oauthClients: enterprise ? new OAuthClientAdmin({ store, committed: accessCommitted }) : undefined,
    connections: { registry, credentials, userConnected, secureCookies: () => (signIn?.publicUrl ?? url).startsWith('https:') },
    bootstrap,
    groups: new GroupAdmin({ store, groupUrl: (name) => `${url}/groups/${name}/mcp`, committed: accessCommitted }),
    audit,
    logger,
    setup: {
      registry,
      settings: store.settings,
      // An enterprise gateway's home is not its users' (see setup-routes.ts).
      appHost: enterprise ? undefined : (options.appsHost ?? { home: homedir(), platform: desktopPlatform(process.platform), env: options.env instanceof Promise ? process.env : (options.env ?? process.env) }),
      canopyEntry: () => ({ url: `${url}/mcp`, bridge: options.cli?.launcher }),
    },
  });
  const server = createHttpServer({
    endpoints,
    api,
    logger,
    signIn: signInService?.http,
    rendererDir: options.rendererDir,
    originPolicy: { allowedHosts: [...(options.allowedHosts ?? []), ...(signIn ? [new URL(signIn.publicUrl).hostname] : [])], allowedOrigins: options.allowedOrigins ?? [] },
    serverExists: (name) => registry.server(name) !== undefined,
    groupExists: (name) => access.group(name) !== undefined,
    // `ssoSignIn`: the web UI offers "Sign in with SSO" (/sign-in/ui) before anyone has a token.
    health: () => ({
      status: 'ok',
      version: VERSION,
      mode,
      sessions: endpoints.openSessions,
      ...(enterprise ? { initialized: access.initialized } : {}),
      ...(signInService?.sso ? { ssoSignIn: true } : {}),
    }),
    mcpCaller: (request, spec, path) => guard.mcpCaller(request, spec, path),
    protectedResourceMetadata: resourceServer && ((path) => resourceServer.resources.metadata(path)),
    metrics: async (request) => {
      if (!metrics) {
        return Response.json({ error: { code: 'not_found', message: 'metrics are off: set OTEL_ENABLED=true on the gateway' } }, { status: 404 });
      }
      const refusal = await guard.metrics(request);
      if (refusal) return refusal;
      return new Response(await metrics.prometheusText(), { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } });
    },
    completeOAuth: async (params, cookie) => {
      const state = params.get('state');
      const account = await oauth.completeAuthorization({ ...Object.fromEntries(params), browser: state ? cookie(browserCookieName(state)) : undefined });
      if (account.user === undefined) await registry.authorizationCompleted(account.server);
      else {
        await credentials?.oauthCompleted(account.user, await registry.perUserServer(account.server));
        userConnected(account.server);
      }
      return account;
    },
  });

  // Secrets a crash left without a row (see orphan-secrets.ts). On PostgreSQL another replica may be
  // registering right now: only notes older than a registration takes are collected there.
  const collectOrphans = async () => {
    try {
      const { deleted, failed } = await collectOrphanSecrets(store, secrets, options.store.kind === 'postgres' ? 10 * 60_000 : 0);
      if (deleted > 0) logger.info({ deleted }, 'deleted secrets no server refers to (left by an interrupted change)');
      for (const { ref, reason } of failed) logger.warn({ ref, reason }, 'could not delete an unreferenced secret; trying again at the next start');
    } catch (error) {
      logger.warn({ reason: (error as Error).message }, 'could not look for unreferenced secrets');
    }
  };
  let started = false;
  return {
    get url() {
      return url;
    },
    events,
    registry,
    views,
    logger,
    ...(signIn
      ? { signIn: { publicUrl: signIn.publicUrl, ...(signIn.sso ? { companyIdp: signIn.sso.issuer } : {}), ...(signIn.externalAuth ? { externalIssuer: signIn.externalAuth.issuer } : {}) } }
      : {}),
    pendingInitialization: () => (enterprise && !access.initialized ? { ...(bootstrap.generatedSecret ? { initToken: bootstrap.generatedSecret } : {}) } : undefined),
    async start() {
      await reloadAccess();
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
      await lock.setUrl(url);
      endpoints.start();
      started = true;
      await collectOrphans();
      await registry.load();
      await feed.start();
      audit?.start();
      signInService?.start();
      logger.info({ url: `${url}/mcp`, store: options.store.kind, secrets: secretsStatus.kind, mode }, 'Canopy is listening');
      if (enterprise && !access.initialized) {
        // The generated init token is a secret: `canopy serve` shows it in its start banner, not in the log.
        logger.warn(
          bootstrap.generatedSecret
            ? 'Canopy is not initialized: run `canopy init-server` on this host, or elsewhere with the init token shown at start'
            : 'Canopy is not initialized: run `canopy init-server --init-token <CANOPY_INIT_TOKEN>`',
        );
      }
    },
    async stop() {
      try {
        expiry.stop();
        signInService?.stop();
        await endpoints.stop();
        if (started) {
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
        await feed.close();
        await registry.stopAll();
        await audit?.stop();
        await metrics?.shutdown();
        await store.close();
      } finally {
        // Last: the next gateway on this data dir may start once children and store are closed.
        await lock.release();
      }
    },
  };
}
