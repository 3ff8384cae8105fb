// Canopy's MCP endpoints as OAuth protected resources (enterprise mode with a public URL): their
// RFC 9728 metadata, at the root and path-inserted for each endpoint, and the Bearer challenges
// (RFC 6750 §3) that point a client at it. Every URL comes from the configured public URL, never
// from a request's Host header.
import { getOAuthProtectedResourceMetadataUrl, type OAuthProtectedResourceMetadata } from '@modelcontextprotocol/server';
import { mcpResourcePath, resourceUrl, type SignInSettings } from '../config/sign-in-settings.ts';

/** The scope every MCP endpoint needs. */
export const MCP_SCOPE = 'mcp';

/** The endpoint whose token a request path takes: `/messages` posts into a session `/sse` opened. */
export function endpointOfPath(path: string): string {
  return path === '/messages' ? '/sse' : path;
}

function resourceName(endpoint: string): string {
  const [, kind, name] = endpoint.split('/');
  const search = endpoint.endsWith('/search') ? ', search view' : '';
  if (kind === 'servers') return `Canopy: server ${name}`;
  if (kind === 'groups') return `Canopy: group ${name}${search}`;
  return `Canopy${search}`;
}

/** RFC 6750 quoted-string: `\` and `"` escaped, anything unprintable replaced. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7e]/g, ' ')}"`;
}

export interface ChallengeError {
  code: 'invalid_token' | 'insufficient_scope';
  description: string;
}

export class ProtectedResources {
  constructor(private readonly settings: SignInSettings) {}

  /** The authorization server clients are sent to: Canopy itself, or the external one configured. */
  get authorizationServer(): string {
    return this.settings.externalAuth?.issuer ?? this.settings.issuer;
  }

  /** The resource URL of an endpoint path: the audience its tokens must carry. */
  resource(endpoint: string): string {
    return resourceUrl(this.settings, endpoint);
  }

  /**
   * The metadata document served at `/.well-known/oauth-protected-resource<endpoint>` (the root
   * document describes `/mcp`); undefined when `endpoint` is no MCP endpoint. Any well-formed server
   * or group name gets one, so the documents say nothing about which exist.
   */
  metadata(endpoint: string): OAuthProtectedResourceMetadata | undefined {
    const path = endpoint === '' ? '/mcp' : endpoint;
    const resource = this.resource(path);
    if (mcpResourcePath(this.settings, resource) !== path) return undefined;
    return {
      resource,
      authorization_servers: [this.authorizationServer],
      scopes_supported: [MCP_SCOPE],
      bearer_methods_supported: ['header'],
      resource_name: resourceName(path),
    };
  }

  /**
   * The `WWW-Authenticate` value of a refusal on `endpoint`: where its metadata is and the scope it
   * needs, with the error when a token was sent (none when the request carried no token, RFC 6750 §3.1).
   */
  challenge(endpoint: string, error?: ChallengeError): string {
    const parts = [
      ...(error ? [`error=${quoted(error.code)}`, `error_description=${quoted(error.description)}`] : []),
      `resource_metadata=${quoted(getOAuthProtectedResourceMetadataUrl(new URL(this.resource(endpoint))))}`,
      `scope=${quoted(MCP_SCOPE)}`,
    ];
    return `Bearer ${parts.join(', ')}`;
  }
}
