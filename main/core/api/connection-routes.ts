// The signed-in user's own accounts of per-user servers: GET /connections (each per-user server and
// how the user stands with it), PUT /connections/{server}/token (a personal token), POST
// /connections/{server}/authorize (OAuth: the URL to open), DELETE /connections/{server}. They act for
// the authenticated user alone (a user token or the web UI's sign-in), never for a user the request
// names; MCP client tokens are refused by the access guard.
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { browserCookieName } from '../upstream/oauth/upstream-oauth.ts';
import { z } from 'zod';
import { badRequest, notFound } from '../errors.ts';
import type { ApiEnv } from '../access/access-guard.ts';
import type { UserCredentials } from '../connections/user-credentials.ts';
import type { Registry } from '../registry/registry.ts';
import type { AuthorizeResult, ConnectionView } from './contract.ts';
import { readJson } from './read-json.ts';

const tokenBody = z.strictObject({ token: z.string().trim().min(1, 'must not be empty').max(16_384, 'must be at most 16384 characters') });

export interface ConnectionRouteServices {
  registry: Registry;
  /** Undefined in development mode, which has no users. */
  credentials: UserCredentials | undefined;
  /** A user connected a server: its catalog may now be listed with their account. */
  userConnected(server: string): void;
  /** Whether people reach the gateway over https (its cookies are then Secure). */
  secureCookies(): boolean;
}

/** How long a started authorization may take (UpstreamOAuth's pending TTL). */
const AUTHORIZATION_COOKIE_SECONDS = 10 * 60;

export function connectionRoutes({ registry, credentials, userConnected, secureCookies }: ConnectionRouteServices): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  /** The signed-in user and the credentials service; connections exist only for users. */
  const forUser = (c: Context<ApiEnv>): { user: string; service: UserCredentials } => {
    const principal = c.get('principal');
    if (!credentials || principal?.kind !== 'user') {
      throw badRequest('connections are per user: they need an enterprise gateway (canopy serve --enterprise) and a signed-in user');
    }
    return { user: principal.name, service: credentials };
  };

  api.get('/connections', async (c) => {
    const { user, service } = forUser(c);
    const servers = registry.perUserServers().flatMap((config) => (config.url ? [{ ...config, url: config.url }] : []));
    const states = await service.states(user, servers);
    const views: ConnectionView[] = servers.map((config) => ({
      server: config.name,
      ...(config.description ? { description: config.description } : {}),
      ...states.get(config.name)!,
    }));
    return c.json(views);
  });

  api.put('/connections/:server/token', async (c) => {
    const { user, service } = forUser(c);
    const { token } = await readJson(c, tokenBody, 'token');
    const server = await registry.perUserServer(c.req.param('server'));
    await service.saveToken(user, server, token);
    userConnected(server.name);
    return c.body(null, 204);
  });

  api.post('/connections/:server/authorize', async (c) => {
    const { user, service } = forUser(c);
    const server = await registry.perUserServer(c.req.param('server'));
    // The browser that asks (the web UI's fetch) keeps a secret the OAuth callback must see again.
    const browser = randomBytes(32).toString('base64url');
    const authorizationUrl = await service.startOAuth(user, server, browser);
    const state = new URL(authorizationUrl).searchParams.get('state') ?? '';
    // Lax: the authorization server's redirect back is a top-level navigation from its site.
    setCookie(c, browserCookieName(state), browser, { path: '/oauth/callback', httpOnly: true, sameSite: 'Lax', secure: secureCookies(), maxAge: AUTHORIZATION_COOKIE_SECONDS });
    const result: AuthorizeResult = { authorizationUrl };
    return c.json(result);
  });

  api.delete('/connections/:server', async (c) => {
    const { user, service } = forUser(c);
    const name = c.req.param('server');
    if (!(await service.disconnect(user, name))) throw notFound(`you have not connected server '${name}'`);
    return c.body(null, 204);
  });
  return api;
}
