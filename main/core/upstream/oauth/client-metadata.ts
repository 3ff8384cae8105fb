// How Canopy describes itself to an authorization server (RFC 7591 client metadata, also what a
// client ID metadata document says): a public client using the authorization-code grant with PKCE,
// and refresh tokens.
import { resolveClientMetadata, type OAuthClientMetadata } from '@modelcontextprotocol/client';

export function canopyClientMetadata(redirectUri: string): OAuthClientMetadata {
  // The SDK fills SEP-837's application_type from the redirect (a loopback callback makes a native client).
  return resolveClientMetadata({
    redirectUrl: redirectUri,
    clientMetadata: {
      client_name: 'Canopy',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    },
  });
}
