// Canopy in front of an external MCP authorization server (CANOPY_AUTH_ISSUER): a local oidc-provider
// issuing JWT access tokens bound to a resource (RFC 8707). The MCP SDK client does the whole
// protocol — a 401 names the protected-resource metadata, which names the authorization server,
// then dynamic registration, PKCE, `resource`, `iss` — and a person signs in at the provider's own
// login and consent pages. Canopy verifies the tokens with the provider's published keys and maps
// the preferred_username claim to its user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type RequestListener, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { REDIRECT_URL, TestOAuthClient } from './oauth-client.ts';
import { freePort, stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize, startEnterprise, type EnterpriseGateway } from '../enterprise/support.ts';

/**
 * A person signing in at the provider's own pages (oidc-provider's development login and consent
 * forms), following redirects by hand and keeping its cookies, until the redirect to the client.
 */
async function signIn(authorizationUrl: URL, login: string): Promise<URLSearchParams> {
  const cookies = new Map<string, string>();
  let url = authorizationUrl.href;
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 16; hop++) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';', 1)[0];
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(REDIRECT_URL)) return next.searchParams;
      url = next.href;
      form = undefined;
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
    if (!action || !prompt) throw new Error(`no sign-in form at ${url} (HTTP ${response.status}): ${page.slice(0, 300)}`);
    url = new URL(action, url).href;
    form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
  }
  throw new Error('the sign-in did not come back to the client within 16 steps');
}

/** The part of oidc-provider's API this test uses (the package ships no type declarations). */
type ProviderClass = new (issuer: string, configuration: object) => { callback(): RequestListener };
/** Imported by a name TypeScript does not resolve, for want of declarations; typed by ProviderClass. */
const OIDC_PROVIDER = 'oidc-provider';

async function startProvider(port: number): Promise<{ issuer: string; server: Server }> {
  const issuer = `http://127.0.0.1:${port}`;
  const { default: Provider } = (await import(OIDC_PROVIDER)) as { default: ProviderClass };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'external', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['resource-server-test'] },
    scopes: ['openid', 'offline_access', 'mcp'],
    features: {
      devInteractions: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: 'mcp',
          audience: resource,
          accessTokenTTL: 300,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    // Accounts are e-mail addresses here; the access token names the person the way Canopy knows them.
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) => (token.accountId ? { preferred_username: token.accountId.split('@')[0] } : {}),
  });
  const server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { issuer, server };
}

describe('an external authorization server (CANOPY_AUTH_ISSUER) in front of Canopy', () => {
  let provider: { issuer: string; server: Server };
  let t: EnterpriseGateway;
  let publicUrl: string;

  beforeAll(async () => {
    provider = await startProvider(await freePort());
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    t = await startEnterprise({ port, publicUrl, settingsEnv: { CANOPY_AUTH_ISSUER: provider.issuer } });
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.memory('notes', join(mkdtempSync(join(tmpdir(), 'canopy-ext-')), 'notes.jsonl')) });
    await admin.createUser({ name: 'alice', allow: ['notes'] });
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await new Promise<void>((resolve) => provider?.server.close(() => resolve()));
  });

  /** The SDK client's OAuth flow for `path`, signing in as `login`; answers the client's provider. */
  async function authorize(path: string, login: string): Promise<TestOAuthClient> {
    const oauth = new TestOAuthClient('canopy resource-server test');
    const transport = new StreamableHTTPClientTransport(new URL(`${publicUrl}${path}`), { authProvider: oauth });
    await expect(new Client({ name: 'test', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
    expect(oauth.authorizationUrl?.origin).toBe(provider.issuer);
    expect(oauth.authorizationUrl?.searchParams.get('resource')).toBe(`${publicUrl}${path}`);
    await transport.finishAuth(await signIn(oauth.authorizationUrl!, login));
    return oauth;
  }

  it('lets the MCP SDK client register, sign a person in, and call with a token bound to the endpoint', async () => {
    const oauth = await authorize('/servers/notes/mcp', 'alice@example.com');
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${publicUrl}/servers/notes/mcp`), { authProvider: oauth }));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('read_graph');
    expect((await client.callTool({ name: 'read_graph', arguments: {} })).isError).toBeFalsy();
    await client.close();

    // The same token is for that endpoint only.
    const accessToken = oauth.tokens()!.access_token;
    const elsewhere = await rawInitialize(t.url, '/mcp', accessToken);
    expect(elsewhere.status).toBe(401);
    expect(JSON.stringify(elsewhere.body)).toContain('issued for another resource');
  });

  it('refuses a person the authorization server knows but Canopy does not, saying so', async () => {
    const oauth = await authorize('/mcp', 'zed@example.com');
    const refused = await rawInitialize(t.url, '/mcp', oauth.tokens()!.access_token);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("'zed' is not a user of this gateway");
  });
});
