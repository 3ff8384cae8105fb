// Enterprise identities over the admin API: POST /init (the first administrator), GET /whoami,
// /users and /clients (create, list, update, delete, rotate), /oauth-clients (rules for OAuth
// clients; a client ID may be a URL, so it travels as `?client_id=`, not as a path segment). Who may call which is decided by the
// access guard before a handler runs (see access/api-permissions.ts).
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { z } from 'zod';
import { CanopyError, badRequest } from '../errors.ts';
import type { IdentityAdmin } from '../access/identity-admin.ts';
import type { OAuthClientAdmin } from '../access/oauth-client-admin.ts';
import type { InitBootstrap } from '../access/init-bootstrap.ts';
import type { ApiEnv } from '../access/access-guard.ts';
import type { WhoAmIView } from './contract.ts';
import { readJson } from './read-json.ts';

const tokenOptions = { token: z.string().optional(), expiresAt: z.string().optional() };
const initBody = z.strictObject({ name: z.string().optional(), initToken: z.string().optional(), ...tokenOptions });
const userBody = z.strictObject({ name: z.string(), role: z.enum(['admin', 'user']).optional(), allow: z.array(z.string()).optional(), sso: z.boolean().optional(), ...tokenOptions });
const userUpdateBody = z.strictObject({ allow: z.array(z.string()).optional(), role: z.enum(['admin', 'user']).optional(), disabled: z.boolean().optional() });
const clientBody = z.strictObject({ name: z.string(), allow: z.array(z.string()), description: z.string().optional(), ...tokenOptions });
const clientUpdateBody = z.strictObject({ allow: z.array(z.string()).optional(), description: z.string().optional() });
const rotateBody = z.strictObject(tokenOptions);
const oauthRuleBody = z.strictObject({ clientId: z.string(), allow: z.array(z.string()), description: z.string().optional() });
const oauthRuleUpdateBody = z.strictObject({ allow: z.array(z.string()).optional(), description: z.string().optional() });
const unlistedBody = z.strictObject({ unlisted: z.enum(['allow', 'refuse']) });

export interface IdentityRouteServices {
  /** Undefined in development mode, which has no identities. */
  identities: IdentityAdmin | undefined;
  /** Undefined in development mode. */
  oauthClients: OAuthClientAdmin | undefined;
  bootstrap: InitBootstrap;
}

const DEVELOPMENT = 'this gateway runs in development mode, which has no users or MCP clients: start it with --enterprise';

export function identityRoutes({ identities, oauthClients, bootstrap }: IdentityRouteServices): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  const admin = (): IdentityAdmin => {
    if (!identities) throw badRequest(DEVELOPMENT);
    return identities;
  };
  const rules = (): OAuthClientAdmin => {
    if (!oauthClients) throw badRequest(DEVELOPMENT);
    return oauthClients;
  };
  const clientId = (c: Context): string => {
    const id = c.req.query('client_id');
    if (!id) throw badRequest('name the OAuth client with ?client_id=ID (its client ID or metadata document URL, URL-encoded)');
    return id;
  };

  api.post('/init', async (c) => {
    const body = await readJson(c, initBody, 'request', { optional: true });
    const { initToken, ...rest } = body;
    const proxied = Boolean(c.req.header('x-forwarded-for') ?? c.req.header('forwarded'));
    if (!bootstrap.permits({ initToken, remoteAddress: getConnInfo(c).remote.address, proxied })) {
      throw new CanopyError(
        'forbidden',
        initToken === undefined
          ? 'initialization needs the init token (shown in the banner `canopy serve` prints at start, or CANOPY_INIT_TOKEN): `canopy init-server --init-token TOKEN`'
          : 'the init token is not right: it is shown in the banner `canopy serve` prints at start (or is CANOPY_INIT_TOKEN)',
      );
    }
    return c.json(await admin().initialize(rest), 201);
  });

  api.get('/whoami', (c) => {
    const principal = c.get('principal');
    const view: WhoAmIView = !principal
      ? { kind: 'development' }
      : principal.kind === 'user'
        ? { kind: 'user', name: principal.name, role: principal.role }
        : { kind: 'client', name: principal.name, allow: [...principal.allowList.entries] };
    return c.json(view);
  });

  api.get('/users', async (c) => c.json(await admin().listUsers()));
  api.post('/users', async (c) => c.json(await admin().createUser(await readJson(c, userBody, 'user')), 201));
  api.patch('/users/:name', async (c) => c.json(await admin().updateUser(c.req.param('name'), await readJson(c, userUpdateBody, 'user'))));
  api.delete('/users/:name', async (c) => {
    await admin().deleteUser(c.req.param('name'));
    return c.body(null, 204);
  });
  api.post('/users/:name/rotate', async (c) =>
    c.json(await admin().rotateUserToken(c.req.param('name'), await readJson(c, rotateBody, 'request', { optional: true }))),
  );

  api.get('/clients', async (c) => c.json(await admin().listClients()));
  api.post('/clients', async (c) => c.json(await admin().createClient(await readJson(c, clientBody, 'MCP client')), 201));
  api.patch('/clients/:name', async (c) =>
    c.json(await admin().updateClient(c.req.param('name'), await readJson(c, clientUpdateBody, 'MCP client'))),
  );
  api.delete('/clients/:name', async (c) => {
    await admin().deleteClient(c.req.param('name'));
    return c.body(null, 204);
  });
  api.post('/clients/:name/rotate', async (c) =>
    c.json(await admin().rotateClientToken(c.req.param('name'), await readJson(c, rotateBody, 'request', { optional: true }))),
  );

  api.get('/oauth-clients', async (c) => c.json(await rules().list()));
  api.post('/oauth-clients', async (c) => c.json(await rules().create(await readJson(c, oauthRuleBody, 'OAuth client rule')), 201));
  api.patch('/oauth-clients', async (c) => c.json(await rules().update(clientId(c), await readJson(c, oauthRuleUpdateBody, 'OAuth client rule'))));
  api.delete('/oauth-clients', async (c) => {
    await rules().delete(clientId(c));
    return c.body(null, 204);
  });
  api.put('/oauth-clients/unlisted', async (c) => c.json(await rules().setUnlisted((await readJson(c, unlistedBody, 'request')).unlisted)));

  return api;
}
