// How Canopy describes itself to an authorization server (RFC 7591 client metadata): a public
// client using the authorization-code grant with PKCE, and refresh tokens.
import type { OAuthClientMetadata } from '@modelcontextprotocol/client';

export function canopyClientMetadata(redirectUri: string): OAuthClientMetadata {
  return {
    client_name: 'Canopy',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}
