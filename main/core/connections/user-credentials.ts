// Per-user upstream credentials: for a server with "credentials": "per_user", each Canopy user
// connects their own account — a personal token they paste, or OAuth at the upstream's authorization
// server (the upstream OAuth client's flow, its state bound to that user and server). What a user
// connected is a row (user, server, kind, destination) in the store; the credential itself lives in
// the SecretStore: the token at `connections/<server>/<user>/token`, OAuth state under the user's
// account of the server (see UpstreamOAuth). A credential serves only the URL it was given for: a
// row whose destination differs from the server's URL is dropped when it is next looked at.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AuthProvider } from '@modelcontextprotocol/client';
import type { Store } from '../store/open.ts';
import type { ConnectionStatus, CredentialKind } from '../model/connections.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import type { OAuthServerConfig, UpstreamOAuth } from '../upstream/oauth/upstream-oauth.ts';
import { bearerOf } from '../upstream/http-transport.ts';

/** A per-user server as the credentials need it (an HTTP or SSE server, so `url` is set). */
export type PerUserServer = OAuthServerConfig;

export interface ConnectionState {
  status: ConnectionStatus;
  kind?: CredentialKind;
  /** When the user connected it last (ISO time). */
  connectedAt?: string;
}

export interface UserCredentialsEvents {
  /** What `user` connected of `server` changed (connected, replaced, removed): their connection must be made anew. */
  changed: [user: string, server: string];
  /** `user` connected an account of `server` (after 'changed'). */
  connected: [user: string, server: string];
}

const tokenRef = (server: string, user: string) => `connections/${server}/${user}/token`;

/** Fingerprint of the URL a credential was given for (a hash: a URL may carry a key in its query). */
function destinationOf(server: Pick<PerUserServer, 'url'>): string {
  return createHash('sha256').update(server.url).digest('hex');
}

export class UserCredentials extends EventEmitter<UserCredentialsEvents> {
  /** Accounts the upstream refused with what was stored (a revoked token): shown as needing re-authorization until replaced. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly secrets: SecretStore,
    private readonly oauth: UpstreamOAuth,
  ) {
    super();
  }

  /** Stores a personal token for `user`'s account of `server`, replacing whatever they connected before. */
  async saveToken(user: string, server: PerUserServer, token: string): Promise<void> {
    await this.oauth.forgetAccount({ server: server.name, user });
    await this.secrets.set(tokenRef(server.name, user), token);
    await this.store.userCredentials.save(user, server.name, 'token', destinationOf(server));
    this.settled(user, server.name);
    this.emit('connected', user, server.name);
  }

  /**
   * Begins OAuth for `user`'s own account of `server`: the URL they open in their browser. Only a
   * browser holding `browser` (a secret the caller keeps in that browser's cookie) may bring the
   * answer back, so a URL passed to someone else cannot connect their account to this user.
   */
  async startOAuth(user: string, server: PerUserServer, browser: string): Promise<string> {
    return (await this.oauth.startAuthorization(server, user, browser)).authorizationUrl;
  }

  /** The user's OAuth authorization of `server` came back (its tokens are stored): record it. */
  async oauthCompleted(user: string, server: PerUserServer): Promise<void> {
    await this.secrets.delete(tokenRef(server.name, user));
    await this.store.userCredentials.save(user, server.name, 'oauth', destinationOf(server));
    this.settled(user, server.name);
    this.emit('connected', user, server.name);
  }

  /** Removes what `user` connected of `server` (row first: a failure after it leaves no credential in use). Returns false when there was none. */
  async disconnect(user: string, server: string): Promise<boolean> {
    const had = await this.store.userCredentials.delete(user, server);
    await this.forgetSecrets(user, server);
    this.settled(user, server);
    return had;
  }

  /** Rows dropped with their user or server, or by a changed URL: their secrets go, and so do the connections made with them. */
  async dropSecrets(rows: { user: string; server: string }[]): Promise<void> {
    for (const { user, server } of rows) {
      await this.forgetSecrets(user, server);
      this.settled(user, server);
    }
  }

  /**
   * Where `user`'s calls to `server` get their bearer token; undefined when they have not connected
   * it (or connected it for another URL, which is dropped now).
   */
  async authFor(user: string, server: PerUserServer): Promise<AuthProvider | undefined> {
    const row = await this.store.userCredentials.get(user, server.name);
    if (!row) return undefined;
    if (row.destination !== destinationOf(server)) {
      await this.disconnect(user, server.name);
      return undefined;
    }
    if (row.kind === 'token') {
      // Read once: a connection made with it is replaced when the user's credential changes (see version).
      const token = this.secrets.get(tokenRef(server.name, user));
      return { token: () => token };
    }
    const provider = this.oauth.providerFor(server, user);
    return { token: () => bearerOf(provider) };
  }

  /**
   * Which credential `user` has connected for `server` now (it changes whenever they connect again),
   * or undefined: a connection made with another one must not serve them any longer, whichever
   * replica changed it.
   */
  async version(user: string, server: PerUserServer): Promise<string | undefined> {
    const row = await this.store.userCredentials.get(user, server.name);
    return row && row.destination === destinationOf(server) ? `${row.kind} ${row.updatedAt}` : undefined;
  }

  /**
   * Where the server's catalog connection (it lists tools and prompts, never calls them) gets a
   * token: from the user who connected most recently, as long as anyone has.
   */
  catalogAuth(server: PerUserServer): AuthProvider {
    return {
      token: async () => {
        for (const row of await this.store.userCredentials.listByServer(server.name)) {
          const token = row.destination === destinationOf(server) ? await (await this.authFor(row.user, server))?.token() : undefined;
          if (token) return token;
        }
        return undefined;
      },
    };
  }

  /** The upstream refused `user`'s credential for `server`: they must connect again. */
  noteRefused(user: string, server: string): void {
    this.refused.add(`${user}\u0000${server}`);
  }

  /** How `user` stands with each of `servers`. */
  async states(user: string, servers: PerUserServer[]): Promise<Map<string, ConnectionState>> {
    const rows = new Map((await this.store.userCredentials.listByUser(user)).map((row) => [row.server, row]));
    const states = new Map<string, ConnectionState>();
    for (const server of servers) {
      const row = rows.get(server.name);
      if (!row || row.destination !== destinationOf(server)) {
        states.set(server.name, { status: 'not_connected' });
        continue;
      }
      const lost = this.refused.has(`${user}\u0000${server.name}`) || (row.kind === 'oauth' && !(await this.oauth.hasTokens({ server: server.name, user })));
      states.set(server.name, { status: lost ? 'needs_reauthorization' : 'connected', kind: row.kind, connectedAt: row.updatedAt });
    }
    return states;
  }

  private async forgetSecrets(user: string, server: string): Promise<void> {
    await this.secrets.delete(tokenRef(server, user));
    await this.oauth.forgetAccount({ server, user });
  }

  private settled(user: string, server: string): void {
    this.refused.delete(`${user}\u0000${server}`);
    this.emit('changed', user, server);
  }
}
