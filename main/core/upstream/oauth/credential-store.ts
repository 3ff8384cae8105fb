// Where an upstream's OAuth state lives: in the SecretStore, never in the database. Two entries per
// server: `oauth/<server>/client` (the client, the authorization server it is bound to, and what
// discovery found) and `oauth/<server>/tokens` (access and refresh token, absolute expiry).
// Every request to an upstream wants its token, and a secret store read is a file read and a
// decryption, or a D-Bus round trip to the keychain: reads are kept in memory (written through,
// absences too) for a few seconds. Replicas of an enterprise gateway share the store, so another
// one may rotate the tokens meanwhile: whoever is about to refresh reads with `fresh`.
import type { OAuthClientInformationMixed, OAuthDiscoveryState, OAuthTokens } from '@modelcontextprotocol/client';
import type { SecretStore } from '../../secrets/secret-store.ts';

export interface StoredClient {
  /** 'dynamic': registered by Canopy (RFC 7591); 'preregistered': from the server's oauth_client_id;
   *  'metadata_document': the server's oauth_client_metadata_url is the client ID. */
  registration: 'dynamic' | 'preregistered' | 'metadata_document';
  /** Stamped with `issuer` (the authorization server URL), as the SDK expects. */
  client: OAuthClientInformationMixed;
  redirectUri: string;
  /** The RFC 8707 resource indicator the tokens were issued for. */
  resource: string;
  discovery: OAuthDiscoveryState;
}

export interface StoredTokens {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  scope?: string;
  /** Epoch milliseconds; absent when the authorization server did not say. */
  expires_at?: number;
  issuer?: string;
}

/** How long what was read from (or written to) the secret store is believed without reading again. */
const DEFAULT_READ_TTL_MS = 5_000;

/** `fresh`: read the secret store itself, not what was read a moment ago. */
export interface ReadOptions {
  fresh?: boolean;
}

const clientRef = (server: string) => `oauth/${server}/client`;
const tokensRef = (server: string) => `oauth/${server}/tokens`;

export class OAuthCredentialStore {
  /** Entries by ref as read or written (undefined: none stored), each believed until `until`. */
  private readonly recent = new Map<string, { value: Promise<unknown>; until: number }>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly readTtlMs = DEFAULT_READ_TTL_MS,
  ) {}

  getClient(server: string, options: ReadOptions = {}): Promise<StoredClient | undefined> {
    return this.read<StoredClient>(clientRef(server), options);
  }

  saveClient(server: string, client: StoredClient): Promise<void> {
    return this.write(clientRef(server), client);
  }

  getTokens(server: string, options: ReadOptions = {}): Promise<StoredTokens | undefined> {
    return this.read<StoredTokens>(tokensRef(server), options);
  }

  /** Stores tokens as an authorization server returned them; `expires_in` becomes an absolute time. */
  async saveTokens(server: string, tokens: OAuthTokens): Promise<StoredTokens> {
    const stored: StoredTokens = {
      access_token: tokens.access_token,
      token_type: tokens.token_type,
      refresh_token: tokens.refresh_token,
      scope: tokens.scope,
      expires_at: tokens.expires_in === undefined ? undefined : Date.now() + tokens.expires_in * 1000,
      issuer: tokens.issuer,
    };
    await this.write(tokensRef(server), stored);
    return stored;
  }

  deleteTokens(server: string): Promise<void> {
    return this.write(tokensRef(server), undefined);
  }

  deleteClient(server: string): Promise<void> {
    return this.write(clientRef(server), undefined);
  }

  async forget(server: string): Promise<void> {
    await this.deleteTokens(server);
    await this.deleteClient(server);
  }

  private read<T>(ref: string, { fresh = false }: ReadOptions): Promise<T | undefined> {
    const now = Date.now();
    const known = this.recent.get(ref);
    if (!fresh && known && known.until > now) return known.value as Promise<T | undefined>;
    // Concurrent requests share one read; a write meanwhile replaces it, so it never overwrites the newer value.
    const entry = { value: this.readStore<T>(ref), until: now + this.readTtlMs };
    this.recent.set(ref, entry);
    entry.value.catch(() => {
      if (this.recent.get(ref) === entry) this.recent.delete(ref);
    });
    return entry.value as Promise<T | undefined>;
  }

  /** Sets (or, with undefined, deletes) an entry in the secret store and remembers what it holds now. */
  private async write(ref: string, value: unknown): Promise<void> {
    try {
      if (value === undefined) await this.secrets.delete(ref);
      else await this.secrets.set(ref, JSON.stringify(value));
    } catch (error) {
      this.recent.delete(ref); // what the store holds now is unknown
      throw error;
    }
    this.recent.set(ref, { value: Promise.resolve(value), until: Date.now() + this.readTtlMs });
  }

  private async readStore<T>(ref: string): Promise<T | undefined> {
    const value = await this.secrets.get(ref);
    if (value === undefined) return undefined;
    try {
      return JSON.parse(value) as T;
    } catch {
      // A damaged entry is as good as none: the user authorizes again.
      return undefined;
    }
  }
}

/** The SDK's view of stored tokens: `expires_in` counts down from now. */
export function toOAuthTokens(stored: StoredTokens): OAuthTokens {
  const { expires_at, ...rest } = stored;
  return expires_at === undefined ? rest : { ...rest, expires_in: Math.max(0, Math.floor((expires_at - Date.now()) / 1000)) };
}
