// Canopy as the OAuth authorization server of its MCP endpoints (MCP authorization, 2026-07-28 and
// 2025-11-25), built on oidc-provider: RFC 8414 / OIDC discovery, PKCE S256 required of every client,
// `iss` in authorization responses (RFC 9207), dynamic registration (RFC 7591) and client ID metadata
// documents, resource indicators (RFC 8707) bound to this gateway's MCP endpoint URLs, JWT access
// tokens (RFC 9068) of 10 minutes, refresh tokens rotated for public clients, single-use codes.
// People log in and consent through the interaction pages (interactions.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHmac } from 'node:crypto';
import Provider, { errors, type Client, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import { mcpResourcePath, resourceUrl, type SignInSettings } from '../config/sign-in-settings.ts';
import type { SignInRecordRepository } from '../store/sign-in-records.ts';
import type { Logger } from '../telemetry/logger.ts';
import { RecordAdapter } from './record-adapter.ts';
import { publicJwks, type SignInKeys } from './keys.ts';
import { htmlPage, PAGE_HEADERS } from './pages.ts';
import { escapeHtml } from '../http/html.ts';
import { isLoopbackHostname } from '../config/loopback.ts';

const MCP_SCOPE = 'mcp';
/** RFC 9068 tokens live this long; a refresh gets another. */
const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;
const REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 60 * 60;
/** A person has this long to log in and approve. */
const INTERACTION_TTL_SECONDS = 10 * 60;

const ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  registration: '/oauth2/register',
  jwks: '/oauth2/jwks',
  revocation: '/oauth2/revoke',
  userinfo: '/oauth2/userinfo',
  end_session: '/oauth2/logout',
};

/** Endpoints an MCP client in a web page calls across origins: no cookies are read there, any origin may. */
const CROSS_ORIGIN_PATHS = new Set([
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
  ROUTES.token,
  ROUTES.registration,
  ROUTES.jwks,
  ROUTES.revocation,
]);

/** A client's redirect URIs may use plain http only on a loopback host (any application type). */
function refusePlainHttpRedirects(_ctx: unknown, _key: string, value: unknown): void {
  for (const uri of Array.isArray(value) ? value : []) {
    const url = typeof uri === 'string' ? URL.parse(uri) : null;
    if (url?.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
      // A description starting with `redirect_uris` makes oidc-provider answer invalid_redirect_uri.
      throw new errors.InvalidClientMetadata(`redirect_uris may use plain http only on a loopback host, not ${url.host}: use https`);
    }
  }
}

function interactionPath(uid: string): string {
  return `/sign-in/interaction/${uid}`;
}

export interface AuthorizationServerOptions {
  signIn: SignInSettings;
  keys: SignInKeys;
  records: SignInRecordRepository;
  /** The Canopy user a subject names, when that user may act (exists, not disabled). */
  activeUser(name: string): { name: string; since: string } | undefined;
  logger: Logger;
  /**
   * How client ID metadata documents are fetched; default: oidc-provider's (global fetch, 2.5 s, no
   * special-use addresses such as loopback). Tests give one that trusts their own CA on loopback.
   */
  clientMetadataFetch?: typeof fetch;
}

export interface AuthorizationServer {
  readonly provider: Provider;
  /** True for a path oidc-provider serves (metadata, /oauth2/*). */
  serves(path: string): boolean;
  /** True for a path any origin may call (CORS; no cookies there). */
  crossOrigin(path: string): boolean;
  /** Hands a request to oidc-provider (a path `serves` accepts). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The public keys access tokens are signed with, for verifiers. */
  readonly jwks: { keys: JWK[] };
}

/** Cookie names: `__Host-` needs Path=/, so the path-scoped interaction cookies get `__Secure-`. */
function cookieNames(secure: boolean) {
  return secure
    ? { session: '__Host-canopy-as-session', interaction: '__Secure-canopy-interaction', resume: '__Secure-canopy-resume' }
    : { session: 'canopy-as-session', interaction: 'canopy-interaction', resume: 'canopy-resume' };
}

export function createAuthorizationServer(options: AuthorizationServerOptions): AuthorizationServer {
  const { signIn, keys } = options;
  const secure = signIn.publicUrl.startsWith('https:');
  const cookieKey = createHmac('sha256', keys.sealing).update('canopy sign-in cookies').digest('base64url');

  const configuration: Configuration = {
    adapter: (model: string) => new RecordAdapter(model, options.records, keys.sealing),
    jwks: { keys: [keys.signing] },
    routes: ROUTES,
    scopes: ['openid', 'offline_access', MCP_SCOPE],
    claims: { openid: ['sub'], email: ['email'] },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    clientDefaults: {
      // RFC 7591 defaults to `web`, which refuses private-use-scheme redirects (cursor://…) and
      // loopback ones on any port; MCP clients that register without saying (older Cursor and Claude
      // Code builds) are apps on the person's machine. A client that says `web` stays web.
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: 'ES256',
    },
    // oidc-provider keeps native clients' http redirects to loopback but lets web clients register any
    // http URL, which would carry codes in the clear (OAuth 2.1 §2.3.1, MCP: https or loopback only).
    // This runs for registrations and client ID metadata documents alike.
    extraClientMetadata: { properties: ['redirect_uris'], validator: refusePlainHttpRedirects },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    cookies: {
      names: cookieNames(secure),
      keys: [cookieKey],
      long: { httpOnly: true, sameSite: 'lax', secure },
      short: { httpOnly: true, sameSite: 'lax', secure },
    },
    // Tokens come only with a code and its PKCE verifier (or a refresh token); no cookie is read at
    // these endpoints, so browser-based MCP clients of any origin may call them.
    clientBasedCORS: () => true,
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      clientIdMetadataDocument: { enabled: true, ack: 'draft-02' },
      resourceIndicators: {
        enabled: true,
        // MCP clients send `resource` (RFC 8707); one that does not gets the aggregated endpoint.
        defaultResource: (_ctx: KoaContextWithOIDC, _client: Client, oneOf?: string) => oneOf ?? resourceUrl(signIn, '/mcp'),
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: KoaContextWithOIDC, resource: string) => {
          if (!mcpResourcePath(signIn, resource)) {
            throw new errors.InvalidTarget(`resource must be an MCP endpoint URL of this gateway, e.g. ${resourceUrl(signIn, '/mcp')}`);
          }
          return {
            scope: MCP_SCOPE,
            audience: resource,
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    // MCP clients register `refresh_token` when they want one (SEP-2207); `offline_access` is not required.
    issueRefreshToken: (_ctx: KoaContextWithOIDC, client: Client) => client.grantTypeAllowed('refresh_token'),
    // An MCP client is not the browser that signed in: its tokens outlive that browser's session here.
    expiresWithSession: () => false,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: ACCESS_TOKEN_TTL_SECONDS,
      RefreshToken: REFRESH_TOKEN_TTL_SECONDS,
      Interaction: INTERACTION_TTL_SECONDS,
      Session: 8 * 60 * 60,
      Grant: REFRESH_TOKEN_TTL_SECONDS,
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => interactionPath(interaction.uid) },
    findAccount: async (ctx: KoaContextWithOIDC, sub: string, token?: { iat?: number }) => {
      // A user deleted or disabled since the grant gets no more tokens (the refresh is refused). A
      // refresh token or browser sign-in from before the user existed was a deleted user's of the
      // same name (names come from logins): it serves nobody.
      const user = options.activeUser(sub);
      const issuedAt = token?.iat ?? ctx.oidc.session?.loginTs;
      if (!user || (issuedAt !== undefined && issuedAt < Math.floor(Date.parse(user.since) / 1000))) return undefined;
      return { accountId: user.name, claims: () => ({ sub: user.name }) };
    },
    renderError: (ctx: KoaContextWithOIDC, out: Record<string, string>) => {
      ctx.set(PAGE_HEADERS);
      ctx.body = htmlPage('Canopy: sign-in failed', `<p>${escapeHtml(out.error_description ?? out.error ?? 'the request was refused')}</p>`);
    },
    ...(options.clientMetadataFetch ? { fetch: options.clientMetadataFetch } : {}),
  };
  const provider = new Provider(signIn.issuer, configuration);
  // The public URL says whether clients reach us over TLS (a proxy in front ends it): oidc-provider
  // reads that from X-Forwarded-Proto, which `handle` sets from configuration, never from the client.
  provider.proxy = true;
  provider.on('server_error', (_ctx: unknown, error: Error) => options.logger.error({ err: error }, 'the authorization server failed'));

  provider.use(async (ctx, next) => {
    // A request without `scope` asks for MCP access (the one thing Canopy's tokens are for).
    if (ctx.path === ROUTES.authorization && ctx.method === 'GET' && !ctx.query.scope) ctx.query = { ...ctx.query, scope: MCP_SCOPE };
    // Registration is not among oidc-provider's CORS routes; browser-based clients register too.
    if (ctx.path === ROUTES.registration) {
      ctx.set('Access-Control-Allow-Origin', ctx.get('origin') || '*');
      ctx.set('Vary', 'Origin');
      if (ctx.method === 'OPTIONS') {
        ctx.set('Access-Control-Allow-Methods', 'POST');
        ctx.set('Access-Control-Allow-Headers', ctx.get('access-control-request-headers') || 'content-type');
        ctx.status = 204;
        return;
      }
    }
    await next();
  });

  const callback = provider.callback();
  const publicUrl = new URL(signIn.publicUrl);
  return {
    provider,
    serves: (path) => path.startsWith('/oauth2/') || path === '/.well-known/oauth-authorization-server' || path === '/.well-known/openid-configuration',
    crossOrigin: (path) => CROSS_ORIGIN_PATHS.has(path),
    async handle(req, res) {
      req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
      req.headers['x-forwarded-host'] = publicUrl.host;
      await callback(req, res);
    },
    jwks: publicJwks(keys),
  };
}
