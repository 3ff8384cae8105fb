// OAuth for upstream servers, as the gateway uses it: detect whether an upstream wants OAuth, run
// the authorization-code flow (PKCE S256, state, RFC 8707 resource; dynamic client registration or
// a pre-registered client, or a client ID metadata document), store what it yields in the SecretStore, and hand each connection an
// OAuthClientProvider that keeps its token fresh. The protocol steps are the SDK's.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { checkResourceAllowed, exchangeAuthorization, IssuerMismatchError, registerClient, resourceUrlFromServerUrl, startAuthorization, validateAuthorizationResponseIssuer, type AuthorizationServerMetadata, type FetchLike, type OAuthClientInformationMixed, type OAuthClientProvider, type OAuthDiscoveryState } from '@modelcontextprotocol/client';
import type { AuthorizeResult } from '../../model/authorization.ts';
import type { ServerConfig } from '../../config/server-config.ts';
import { badRequest, upstreamError } from '../../errors.ts';
import type { SecretStore } from '../../secrets/secret-store.ts';
import { boundedFetch } from './bounded-fetch.ts';
import { canopyClientMetadata } from './client-metadata.ts';
import { OAuthCredentialStore, type StoredClient } from './credential-store.ts';
import { discoverAuthorizationServer, probeUpstream, type DiscoveredAuthorization } from './discovery.ts';
import { PendingAuthorizations } from './pending-authorizations.ts';
import { StoredTokenProvider } from './stored-token-provider.ts';

/** The parts of a server config OAuth needs (an HTTP or SSE server, so `url` is set). */
export type OAuthServerConfig = Pick<
  ServerConfig,
  'name' | 'oauth_redirect_uri' | 'oauth_client_id' | 'oauth_client_secret' | 'oauth_scopes' | 'oauth_client_metadata_url'
> & { url: string; transport?: ServerConfig['transport'] };

export interface UpstreamOAuthOptions {
  secrets: SecretStore;
  /** Where authorization servers send the browser back, e.g. http://127.0.0.1:7450/oauth/callback
   *  (a function when the port is known only once the gateway listens). A server's own
   *  `oauth_redirect_uri` wins. */
  redirectUri: string | (() => string);
  /** How long a started authorization may take to come back. Default 10 minutes. */
  pendingTtlMs?: number;
  /** Refresh an access token when it expires within this long. Default 60 s. */
  refreshWindowMs?: number;
  /** Bound on each request to an upstream or authorization server. Default 15 s. */
  requestTimeoutMs?: number;
}

/** What the browser brings back to the redirect URI (`/oauth/callback`), as query parameters. */
export interface AuthorizationCallback {
  /** The browser's secret of an authorization bound to one browser (from its cookie; see browserCookieName). */
  browser?: string;
  state?: string;
  code?: string;
  /** RFC 9207: the authorization server that answered. */
  iss?: string;
  error?: string;
  error_description?: string;
}

interface PendingAuthorization {
  server: string;
  /** Set for a per-user server: whose account the tokens are for (the state is bound to it). */
  user?: string;
  /** SHA-256 of the secret the starting browser holds (see startAuthorization's `browser`). */
  browser?: string;
  client: StoredClient;
  codeVerifier: string;
}

/** Whose authorization a completed flow made: the server's own, or one user's account of a per-user server. */
export interface AuthorizedAccount {
  server: string;
  user?: string;
}

/**
 * Where an account's OAuth state lives in the credential store: the server's name, or for one user
 * of a per-user server `<server>/user/<user>` (server names hold no `/`, so the two never meet).
 */
function accountKey({ server, user }: AuthorizedAccount): string {
  return user === undefined ? server : `${server}/user/${user}`;
}

export class UpstreamOAuth {
  private readonly credentials: OAuthCredentialStore;
  private readonly pending: PendingAuthorizations<PendingAuthorization>;
  private readonly providers = new Map<string, StoredTokenProvider>();
  private readonly fetchFn: FetchLike;

  constructor(private readonly options: UpstreamOAuthOptions) {
    this.credentials = new OAuthCredentialStore(options.secrets);
    this.pending = new PendingAuthorizations(options.pendingTtlMs ?? 10 * 60_000);
    this.fetchFn = boundedFetch(options.requestTimeoutMs ?? 15_000);
  }

  private defaultRedirectUri(): string {
    const { redirectUri } = this.options;
    return typeof redirectUri === 'function' ? redirectUri() : redirectUri;
  }

  /**
   * Begins an authorization: the user opens the returned URL; the redirect comes back to
   * completeAuthorization. With `user`, for that user's own account of a per-user server.
   */
  async startAuthorization(server: OAuthServerConfig, user?: string, browser?: string): Promise<AuthorizeResult> {
    const challenge = await this.reach(server.url, () => probeUpstream(server.url, server.transport ?? 'streamable_http', this.fetchFn));
    const discovery = await this.reach(server.url, () => discoverAuthorizationServer(server.url, challenge, this.fetchFn));
    if (!discovery) {
      throw upstreamError(
        `server '${server.name}' does not advertise an OAuth authorization server (no RFC 9728, RFC 8414 or OpenID metadata found)`,
      );
    }
    const redirectUri = server.oauth_redirect_uri ?? this.defaultRedirectUri();
    const resource = resourceFor(server, discovery);
    const scope = withOfflineAccess(
      server.oauth_scopes?.join(' ') || challenge.scope || discovery.resourceMetadata?.scopes_supported?.join(' ') || undefined,
      discovery.authorizationServerMetadata,
    );
    const client = await this.clientFor(server, user, discovery, redirectUri, scope);
    const state = randomBytes(32).toString('base64url');
    const { authorizationUrl, codeVerifier } = await startAuthorization(discovery.authorizationServerUrl, {
      metadata: discovery.authorizationServerMetadata,
      clientInformation: client.client,
      redirectUrl: redirectUri,
      scope,
      state,
      resource,
    }).catch((error: unknown) => {
      throw upstreamError(`server '${server.name}': ${messageOf(error)}`);
    });
    this.pending.add(state, {
      server: server.name,
      ...(user !== undefined ? { user } : {}),
      ...(browser !== undefined ? { browser: sha256(browser) } : {}),
      client: { ...client, redirectUri, resource, discovery },
      codeVerifier,
    });
    return { authorizationUrl: authorizationUrl.href };
  }

  /** Finishes an authorization from the redirect's query parameters; returns whose authorization it is. */
  async completeAuthorization(callback: AuthorizationCallback): Promise<AuthorizedAccount> {
    const lookup = callback.state ? this.pending.take(callback.state) : ({ status: 'unknown' } as const);
    if (lookup.status === 'unknown') {
      throw badRequest('unknown or already used OAuth state: start the authorization again (`canopy authorize NAME`)');
    }
    const { server, user, browser, client, codeVerifier } = lookup.value;
    // Before anything else: a code another browser brings back must not land in this user's account
    // (someone sends a victim the authorization URL they started, and gets the victim's grant).
    if (browser !== undefined && !sameSecret(browser, callback.browser)) {
      throw badRequest(
        `this authorization of server '${server}' was started in another browser, so it was refused: start it again from Canopy's Connections page in the browser you sign in with`,
      );
    }
    if (lookup.status === 'expired') {
      throw badRequest(
        `the authorization of server '${server}' expired (after ${describeDuration(this.pending.ttlMs)}): run \`canopy authorize ${server}\` again`,
      );
    }
    checkIssuer(server, client, callback.iss);
    if (callback.error) {
      const detail = callback.error_description ? `: ${callback.error_description}` : '';
      throw badRequest(`the authorization server refused access to server '${server}' (${callback.error}${detail}): run \`canopy authorize ${server}\` to try again`);
    }
    if (!callback.code) throw badRequest(`the authorization of server '${server}' came back without a code`);
    const tokens = await exchangeAuthorization(client.discovery.authorizationServerUrl, {
      metadata: client.discovery.authorizationServerMetadata,
      clientInformation: client.client,
      authorizationCode: callback.code,
      iss: callback.iss,
      codeVerifier,
      redirectUri: client.redirectUri,
      resource: client.resource,
      fetchFn: this.fetchFn,
    }).catch((error: unknown) => {
      throw upstreamError(`server '${server}': the authorization server refused the authorization code: ${messageOf(error)}`);
    });
    const account = { server, ...(user !== undefined ? { user } : {}) };
    await this.credentials.saveClient(accountKey(account), client);
    await this.credentials.saveTokens(accountKey(account), { ...tokens, issuer: client.discovery.authorizationServerUrl });
    return account;
  }

  /**
   * The provider an HTTP/SSE connection to this server passes to its SDK transport as `authProvider`;
   * with `user`, the provider of that user's own account of a per-user server.
   */
  providerFor(server: Pick<OAuthServerConfig, 'name' | 'oauth_redirect_uri' | 'url'>, user?: string): OAuthClientProvider {
    const redirectUri = server.oauth_redirect_uri ?? this.defaultRedirectUri();
    const resource = resourceUrlFromServerUrl(server.url).href;
    const account = accountKey({ server: server.name, user });
    let provider = this.providers.get(account);
    if (!provider || provider.redirectUrl !== redirectUri || provider.resource !== resource) {
      provider = new StoredTokenProvider({
        server: server.name,
        account,
        resource,
        credentials: this.credentials,
        redirectUri,
        refreshWindowMs: this.options.refreshWindowMs ?? 60_000,
        fetchFn: this.fetchFn,
      });
      this.providers.set(account, provider);
    }
    return provider;
  }

  /** Deletes everything OAuth holds for this server (its own authorization; per-user accounts are forgotten one by one): tokens, client, pending authorizations. */
  async forget(server: string): Promise<void> {
    this.pending.drop((pending) => pending.server === server);
    this.providers.delete(server);
    await this.credentials.forget(server);
  }

  /** Deletes what OAuth holds for one user's account of a per-user server (tokens, client, pending authorizations). */
  async forgetAccount(account: Required<AuthorizedAccount>): Promise<void> {
    this.pending.drop((pending) => pending.server === account.server && pending.user === account.user);
    this.providers.delete(accountKey(account));
    await this.credentials.forget(accountKey(account));
  }

  /** Whether `user` holds an access token for the server (refreshable or not yet expired tokens are checked when used). */
  async hasTokens(account: Required<AuthorizedAccount>): Promise<boolean> {
    return (await this.credentials.getTokens(accountKey(account))) !== undefined;
  }

  private async clientFor(
    server: OAuthServerConfig,
    user: string | undefined,
    discovery: DiscoveredAuthorization,
    redirectUri: string,
    scope: string | undefined,
  ): Promise<Pick<StoredClient, 'registration' | 'client'>> {
    const issuer = discovery.authorizationServerUrl;
    if (server.oauth_client_id) {
      const client: OAuthClientInformationMixed = { client_id: server.oauth_client_id, client_secret: server.oauth_client_secret, issuer };
      return { registration: 'preregistered', client };
    }
    if (server.oauth_client_metadata_url && discovery.authorizationServerMetadata.client_id_metadata_document_supported === true) {
      return { registration: 'metadata_document', client: { client_id: server.oauth_client_metadata_url, issuer } };
    }
    // A client registered for this server earlier (by a completed or a pending flow) is used again.
    const earlier = [
      await this.credentials.getClient(accountKey({ server: server.name, user })),
      this.pending.find((p) => p.server === server.name && p.user === user)?.client,
    ];
    const reused = earlier.find((client) => client && reusable(client, issuer, redirectUri));
    if (reused) return { registration: 'dynamic', client: reused.client };
    if (!discovery.authorizationServerMetadata.registration_endpoint) {
      throw badRequest(`server '${server.name}' needs a pre-registered client: set oauth_client_id (and oauth_client_secret) in its config`);
    }
    const registered = await registerClient(issuer, {
      metadata: discovery.authorizationServerMetadata,
      clientMetadata: canopyClientMetadata(redirectUri),
      scope,
      fetchFn: this.fetchFn,
    }).catch((error: unknown) => {
      throw upstreamError(`server '${server.name}': dynamic client registration failed: ${messageOf(error)}`);
    });
    return { registration: 'dynamic', client: { ...registered, issuer } };
  }

  private async reach<T>(url: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      // Origin and path only: some hosted servers carry an API key in the query string.
      const { origin, pathname } = new URL(url);
      throw upstreamError(`cannot discover OAuth for ${origin}${pathname}: ${messageOf(error)}`);
    }
  }
}

/** The cookie that carries the starting browser's secret of the authorization whose state is `state`. */
export function browserCookieName(state: string): string {
  return `canopy-oauth-${sha256(state).slice(0, 16)}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameSecret(expectedHash: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(Buffer.from(expectedHash), Buffer.from(sha256(presented)));
}

/** A client Canopy registered is good while it is bound to the same authorization server and redirect, with an unexpired secret. */
function reusable(stored: StoredClient, issuer: string, redirectUri: string): boolean {
  const expiresAt = 'client_secret_expires_at' in stored.client ? stored.client.client_secret_expires_at : undefined;
  return (
    stored.registration === 'dynamic' &&
    stored.client.issuer === issuer &&
    stored.redirectUri === redirectUri &&
    (!expiresAt || expiresAt * 1000 > Date.now())
  );
}

/** RFC 8707: the upstream's canonical URL, or the resource its RFC 9728 metadata names when that covers the URL. */
function resourceFor(server: OAuthServerConfig, discovery: OAuthDiscoveryState): string {
  const canonical = resourceUrlFromServerUrl(server.url).href;
  const advertised = discovery.resourceMetadata?.resource;
  if (!advertised) return canonical;
  if (!checkResourceAllowed({ requestedResource: canonical, configuredResource: advertised })) {
    throw upstreamError(`server '${server.name}': its metadata names resource ${advertised}, which does not cover ${canonical}`);
  }
  // Sent as advertised: an exact-match authorization server would refuse a re-serialized URL.
  return advertised;
}

/**
 * RFC 9207 §2.4, before anything else in the response is believed: an authorization response names
 * the authorization server that sent it, and must when that server says it does. A response from a
 * different server (a mix-up attack) is refused without repeating what it claims.
 */
function checkIssuer(server: string, client: StoredClient, iss: string | undefined): void {
  const metadata = client.discovery.authorizationServerMetadata;
  try {
    validateAuthorizationResponseIssuer({
      iss,
      expectedIssuer: metadata?.issuer,
      issParameterSupported: metadata?.authorization_response_iss_parameter_supported === true,
    });
  } catch (error) {
    if (!(error instanceof IssuerMismatchError)) throw error;
    const what = iss === undefined ? 'does not name its issuer (`iss`), which its authorization server promises to' : `names another issuer than ${metadata?.issuer}`;
    throw badRequest(
      `the authorization response for server '${server}' ${what} (RFC 9207): it may not come from that server, so it was refused; run \`canopy authorize ${server}\` to try again`,
    );
  }
}

/** As the SDK's own flow does: ask for `offline_access` too when the authorization server has it, so a refresh token comes back. */
function withOfflineAccess(scope: string | undefined, metadata: AuthorizationServerMetadata): string | undefined {
  if (!scope || !metadata.scopes_supported?.includes('offline_access') || scope.split(' ').includes('offline_access')) return scope;
  return `${scope} offline_access`;
}

function describeDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

function messageOf(error: unknown): string {
  // The SDK validates metadata with zod, whose message is a JSON dump of every issue: say the first.
  if (error instanceof Error && error.name === 'ZodError' && 'issues' in error && Array.isArray(error.issues)) {
    const [issue] = error.issues as { path: PropertyKey[]; message: string }[];
    return `malformed metadata (${issue?.path.map(String).join('.') || 'document'}: ${issue?.message ?? 'invalid'})`;
  }
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout, ...) is its cause.
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
