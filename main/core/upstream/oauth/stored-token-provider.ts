// The SDK OAuthClientProvider a running upstream connection uses. It only ever works with what an
// earlier authorization stored: it hands out the access token, refreshes it shortly before it
// expires (and, through the SDK, after a 401), and saves rotated tokens. It never starts a browser
// flow and never registers a client: when no usable token can be had, the connection fails with
// AuthorizationRequiredError and the user authorizes again through UpstreamOAuth.startAuthorization.
import { checkResourceAllowed, OAuthError, OAuthErrorCode, refreshAuthorization, type FetchLike, type OAuthClientInformationMixed, type OAuthClientMetadata, type OAuthClientProvider, type OAuthDiscoveryState, type OAuthTokens } from '@modelcontextprotocol/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { canopyClientMetadata } from './client-metadata.ts';
import { toOAuthTokens, type OAuthCredentialStore, type StoredClient, type StoredTokens } from './credential-store.ts';
import { AuthorizationRequiredError } from './errors.ts';

/** How long, and how often, a refused refresh looks for tokens another replica rotated meanwhile. */
const ROTATION_WAIT_MS = 1_000;
const ROTATION_POLL_MS = 100;

export interface StoredTokenProviderOptions {
  server: string;
  /** Whose credentials these are in the store: the server's name, or its per-user account (see accountKey). */
  account: string;
  /** The server's canonical resource URL (RFC 8707) from its configured url: what was authorized for another destination is never used. */
  resource: string;
  credentials: OAuthCredentialStore;
  redirectUri: string;
  /** Refresh when the access token expires within this many milliseconds. */
  refreshWindowMs: number;
  fetchFn: FetchLike;
}

export class StoredTokenProvider implements OAuthClientProvider {
  /** The refresh in flight: concurrent requests share it, so a rotated refresh token is used once. */
  private refreshing: Promise<StoredTokens | undefined> | undefined;
  /** Why the last attempt to keep a token failed; told to the user when authorization is required. */
  private failure: string | undefined;

  constructor(private readonly options: StoredTokenProviderOptions) {}

  get resource(): string {
    return this.options.resource;
  }

  get redirectUrl(): string {
    return this.options.redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return canopyClientMetadata(this.options.redirectUri);
  }

  async clientInformation(): Promise<OAuthClientInformationMixed> {
    const stored = await this.options.credentials.getClient(this.options.account);
    // Throwing (rather than answering undefined) keeps the SDK from registering a client in the background.
    if (!stored) throw this.authorizationRequired('no OAuth client is registered for it');
    if (!this.coversDestination(stored)) throw this.authorizationRequired('its URL changed since it was authorized');
    return stored.client;
  }

  /** Whether an authorization was made for the server's current URL (a changed url needs a new one). */
  private coversDestination(client: StoredClient): boolean {
    return checkResourceAllowed({ requestedResource: this.options.resource, configuredResource: client.resource });
  }

  // The SDK asks for this first when it runs its auth flow, after the upstream refused a token
  // (401). It then refreshes with what `tokens()` gives, which must be what the store holds now
  // (another replica may have rotated the refresh token), not what was read a moment ago.
  async discoveryState(): Promise<OAuthDiscoveryState | undefined> {
    const { credentials, account } = this.options;
    await credentials.getTokens(account, { fresh: true });
    return (await credentials.getClient(account, { fresh: true }))?.discovery;
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    const client = await this.options.credentials.getClient(this.options.account);
    if (!client || !this.coversDestination(client)) return undefined;
    const stored = await this.options.credentials.getTokens(this.options.account);
    if (!stored || !this.expiresSoon(stored)) return stored && toOAuthTokens(stored);
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    const current = await this.refreshing;
    return current && toOAuthTokens(current);
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.options.credentials.saveTokens(this.options.account, tokens);
    this.failure = undefined;
  }

  // The SDK gets here only when it has no token left to try; a background connection must not open
  // a browser, so it fails in a way the connection layer recognizes.
  redirectToAuthorization(): never {
    throw this.authorizationRequired(this.failure ?? 'it has no valid access token');
  }

  saveCodeVerifier(): void {
    // The verifier of a flow the SDK would start here is never used: redirectToAuthorization refuses.
  }

  codeVerifier(): never {
    throw this.authorizationRequired('no authorization is in progress for this connection');
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    const { credentials, account } = this.options;
    if (scope === 'all' || scope === 'client') {
      await credentials.deleteClient(account);
      this.failure = 'the authorization server no longer accepts the OAuth client';
    }
    if (scope === 'all' || scope === 'tokens') {
      await credentials.deleteTokens(account);
      this.failure ??= 'the authorization server refused the refresh token';
    }
  }

  private expiresSoon(tokens: StoredTokens): boolean {
    return tokens.refresh_token !== undefined && tokens.expires_at !== undefined && tokens.expires_at - Date.now() <= this.options.refreshWindowMs;
  }

  private async refresh(): Promise<StoredTokens | undefined> {
    const { credentials, account, fetchFn } = this.options;
    // Read the store itself: a refresh that finished just before this one started (here or in
    // another replica) has already rotated the token.
    const stored = await credentials.getTokens(account, { fresh: true });
    const client = await credentials.getClient(account, { fresh: true });
    if (!stored?.refresh_token || !client || !this.expiresSoon(stored)) return stored;
    try {
      const tokens = await refreshAuthorization(client.discovery.authorizationServerUrl, {
        metadata: client.discovery.authorizationServerMetadata,
        clientInformation: client.client,
        refreshToken: stored.refresh_token,
        resource: client.resource,
        fetchFn,
      });
      this.failure = undefined;
      return await credentials.saveTokens(account, { ...tokens, issuer: client.discovery.authorizationServerUrl });
    } catch (error) {
      if (error instanceof OAuthError && error.code !== OAuthErrorCode.ServerError) {
        const rotated = await this.rotatedElsewhere(stored.refresh_token);
        if (rotated) return rotated;
        // invalid_grant and friends: the grant is gone and only the user can make a new one.
        this.failure = `the authorization server refused the refresh token (${error.code})`;
        await credentials.deleteTokens(account);
        return undefined;
      }
      // Unreachable or failing authorization server: keep the tokens. The access token may still be
      // good; if the upstream refuses it, the SDK tries the refresh token once more.
      this.failure = `refreshing its token failed: ${error instanceof Error ? error.message : String(error)}`;
      return stored;
    }
  }

  /**
   * The tokens another replica stored after refreshing with the same refresh token as this one (a
   * rotating authorization server refuses the second use): its save may land a moment after this
   * refusal, so the store is read again for a short while before the grant is taken as gone.
   */
  private async rotatedElsewhere(used: string): Promise<StoredTokens | undefined> {
    const { credentials, account } = this.options;
    for (let waited = 0; ; waited += ROTATION_POLL_MS) {
      const now = await credentials.getTokens(account, { fresh: true });
      if (!now) return undefined;
      if (now.refresh_token !== used) return now;
      if (waited >= ROTATION_WAIT_MS) return undefined;
      await sleep(ROTATION_POLL_MS);
    }
  }

  private authorizationRequired(reason: string): AuthorizationRequiredError {
    return new AuthorizationRequiredError(this.options.server, reason);
  }
}
