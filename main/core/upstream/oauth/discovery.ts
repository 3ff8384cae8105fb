// Finding out whether an upstream wants OAuth, and from whom. An unauthenticated probe reads the
// 401 challenge (RFC 6750 `WWW-Authenticate`, whose `resource_metadata` names the RFC 9728 document);
// the SDK then follows RFC 9728 to the authorization server, or falls back to RFC 8414 / OpenID
// discovery on the upstream's origin.
import { discoverOAuthServerInfo, extractWWWAuthenticateParams, LATEST_PROTOCOL_VERSION, type AuthorizationServerMetadata, type FetchLike, type OAuthDiscoveryState } from '@modelcontextprotocol/client';
import type { Transport } from '../../config/server-config.ts';

export interface UpstreamChallenge {
  /** HTTP status of the unauthenticated request. */
  status: number;
  /** From `WWW-Authenticate: Bearer resource_metadata="..."`. */
  resourceMetadataUrl?: URL;
  /** From `WWW-Authenticate: Bearer scope="..."`: what the upstream asks for. */
  scope?: string;
}

/** Discovery that found an authorization server's metadata. */
export type DiscoveredAuthorization = OAuthDiscoveryState & { authorizationServerMetadata: AuthorizationServerMetadata };

/** Sends the request a client would start with (initialize for streamable HTTP, the event stream for SSE), without credentials. */
export async function probeUpstream(url: string, transport: Transport, fetchFn: FetchLike): Promise<UpstreamChallenge> {
  const init: RequestInit =
    transport === 'sse'
      ? { method: 'GET', headers: { Accept: 'text/event-stream' } }
      : {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 0,
            method: 'initialize',
            params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'canopy-probe', version: '0' } },
          }),
        };
  const response = await fetchFn(url, { ...init, redirect: 'manual' });
  // Only the status and headers matter; an open event stream must not stay open.
  await response.body?.cancel().catch(() => {});
  if (response.status !== 401) return { status: response.status };
  return { status: response.status, ...extractWWWAuthenticateParams(response) };
}

/** The authorization server for `url`, or undefined when none advertises itself. */
export async function discoverAuthorizationServer(
  url: string,
  challenge: UpstreamChallenge,
  fetchFn: FetchLike,
): Promise<DiscoveredAuthorization | undefined> {
  const { authorizationServerMetadata, ...info } = await discoverOAuthServerInfo(url, { resourceMetadataUrl: challenge.resourceMetadataUrl, fetchFn });
  if (!authorizationServerMetadata) return undefined;
  return { ...info, authorizationServerMetadata, resourceMetadataUrl: challenge.resourceMetadataUrl?.href };
}
