// Where an upstream's OAuth state lives: in the SecretStore, never in the database. Two entries per
// server: `oauth/<server>/client` (the client, the authorization server it is bound to, and what
// discovery found) and `oauth/<server>/tokens` (access and refresh token, absolute expiry).
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

const clientRef = (server: string) => `oauth/${server}/client`;
const tokensRef = (server: string) => `oauth/${server}/tokens`;

export class OAuthCredentialStore {
  constructor(private readonly secrets: SecretStore) {}

  getClient(server: string): Promise<StoredClient | undefined> {
    return this.read<StoredClient>(clientRef(server));
  }

  saveClient(server: string, client: StoredClient): Promise<void> {
    return this.secrets.set(clientRef(server), JSON.stringify(client));
  }

  getTokens(server: string): Promise<StoredTokens | undefined> {
    return this.read<StoredTokens>(tokensRef(server));
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
    await this.secrets.set(tokensRef(server), JSON.stringify(stored));
    return stored;
  }

  deleteTokens(server: string): Promise<void> {
    return this.secrets.delete(tokensRef(server));
  }

  deleteClient(server: string): Promise<void> {
    return this.secrets.delete(clientRef(server));
  }

  async forget(server: string): Promise<void> {
    await this.deleteTokens(server);
    await this.deleteClient(server);
  }

  private async read<T>(ref: string): Promise<T | undefined> {
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
