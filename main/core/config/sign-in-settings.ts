// Enterprise sign-in settings: the canonical public URL (Canopy's OAuth issuer and the base of every
// resource URL a token is bound to) and the company's OIDC provider. Resource URLs come from here,
// never from a request's Host header.
import { ConfigError } from './config-error.ts';
import { isLoopbackHostname } from './loopback.ts';

export interface SsoSettings {
  /** The company IdP's issuer (OIDC discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  /** Absent: Canopy is a public client of the IdP (PKCE only). */
  clientSecret?: string;
  /** The ID-token / userinfo claim that lists a person's groups. Default `groups`. */
  groupsClaim: string;
  /** Members of any of these groups become administrators at login. */
  adminGroups: string[];
}

/** An external MCP authorization server whose tokens Canopy accepts instead of issuing its own. */
export interface ExternalAuthSettings {
  /** Its issuer (metadata at `<issuer>/.well-known/oauth-authorization-server` or OIDC discovery). */
  issuer: string;
  /** The access-token claim naming the Canopy user (default `preferred_username`; `sub` when absent). */
  userClaim: string;
}

export interface SignInSettings {
  /** Origin clients reach Canopy at, without a trailing slash, e.g. https://canopy.example.com. */
  publicUrl: string;
  /** Canopy's OAuth issuer: the public URL. */
  issuer: string;
  /** The company IdP people log in with; absent: no one can sign in through OAuth yet. */
  sso?: SsoSettings;
  /** CANOPY_AUTH_ISSUER: tokens come from this authorization server, and Canopy serves none of its own. */
  externalAuth?: ExternalAuthSettings;
}

function commaList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

function httpUrl(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${source}: "${value}" is not a URL (e.g. https://canopy.example.com)`, source);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHostname(url.hostname))) {
    throw new ConfigError(`${source} must be an https URL (plain http only for loopback addresses), not "${value}"`, source);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigError(`${source}: "${value}" must not carry credentials, a query or a fragment`, source);
  }
  return url;
}

/** An issuer URL as discovery and the `iss` claim spell it: no trailing slash. */
function issuerOf(value: string, source: string): string {
  return httpUrl(value, source).href.replace(/\/$/, '');
}

function publicUrlOf(value: string, source: string): string {
  const url = httpUrl(value, source);
  if (url.pathname !== '/') {
    throw new ConfigError(`${source}: "${value}" must be an origin without a path (Canopy serves its endpoints at the root)`, source);
  }
  return url.origin;
}

/**
 * The sign-in settings of an enterprise gateway, or undefined when no public URL is set (enterprise
 * mode then works as before: static tokens only). `--public-url` wins over CANOPY_PUBLIC_URL.
 */
export function readSignInSettings(publicUrlFlag: string | undefined, env: NodeJS.ProcessEnv): SignInSettings | undefined {
  const raw = publicUrlFlag ?? env.CANOPY_PUBLIC_URL;
  const ssoIssuer = env.CANOPY_SSO_ISSUER?.trim();
  const authIssuer = env.CANOPY_AUTH_ISSUER?.trim();
  if (!raw) {
    if (ssoIssuer) throw new ConfigError('CANOPY_SSO_ISSUER needs a public URL: set --public-url or CANOPY_PUBLIC_URL too', 'CANOPY_PUBLIC_URL');
    if (authIssuer) throw new ConfigError('CANOPY_AUTH_ISSUER needs a public URL (tokens are bound to it): set --public-url or CANOPY_PUBLIC_URL too', 'CANOPY_PUBLIC_URL');
    return undefined;
  }
  const publicUrl = publicUrlOf(raw, publicUrlFlag !== undefined ? '--public-url' : 'CANOPY_PUBLIC_URL');
  const externalAuth: ExternalAuthSettings | undefined = authIssuer
    ? { issuer: issuerOf(authIssuer, 'CANOPY_AUTH_ISSUER'), userClaim: env.CANOPY_AUTH_USER_CLAIM?.trim() || 'preferred_username' }
    : undefined;
  const base = { publicUrl, issuer: publicUrl, ...(externalAuth ? { externalAuth } : {}) };
  if (!ssoIssuer) return base;
  const clientId = env.CANOPY_SSO_CLIENT_ID?.trim();
  if (!clientId) throw new ConfigError('CANOPY_SSO_ISSUER is set but CANOPY_SSO_CLIENT_ID is not: give the client ID Canopy is registered under at the IdP', 'CANOPY_SSO_CLIENT_ID');
  const clientSecret = env.CANOPY_SSO_CLIENT_SECRET || undefined;
  return {
    ...base,
    sso: {
      issuer: issuerOf(ssoIssuer, 'CANOPY_SSO_ISSUER'),
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      groupsClaim: env.CANOPY_SSO_GROUPS_CLAIM?.trim() || 'groups',
      adminGroups: commaList(env.CANOPY_SSO_ADMIN_GROUPS),
    },
  };
}

/** The resource URL of an endpoint path (`/mcp`, `/servers/x/mcp`, ...): what its tokens are bound to. */
export function resourceUrl(settings: SignInSettings, endpointPath: string): string {
  return `${settings.publicUrl}${endpointPath}`;
}

const NAME = '[a-zA-Z0-9_-]+';
const MCP_ENDPOINT_PATH = new RegExp(`^(?:/mcp(?:/search)?|/servers/${NAME}/mcp|/groups/${NAME}/mcp(?:/search)?|/sse)$`);

/** The MCP endpoint path a resource URL names on this gateway (exactly: no query, no trailing slash); else undefined. */
export function mcpResourcePath(settings: SignInSettings, resource: string): string | undefined {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return undefined;
  }
  if (url.origin !== settings.publicUrl || url.search || url.hash || url.username || url.password) return undefined;
  if (resource !== `${url.origin}${url.pathname}`) return undefined;
  return MCP_ENDPOINT_PATH.test(url.pathname) ? url.pathname : undefined;
}
