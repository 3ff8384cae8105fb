// The whole enterprise sign-in, with real parts: a local oidc-provider as the company IdP, Canopy's
// authorization server, the MCP SDK v2 client with an OAuth provider (registering by DCR and by a
// client ID metadata document; PKCE, `resource`, `iss` checked by the SDK), Chromium for the IdP's
// login and Canopy's consent page, and a tool called through /mcp with the token Canopy issued.
// Negative cases: a replayed `state` and authorization code, a consent form without its CSRF
// token, a disabled user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { REDIRECT_URL, TestOAuthClient } from './oauth-client.ts';
import { browserSkipReason, launchChromium } from '../ui/support/browser.ts';
import { freePort, stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize } from '../enterprise/support.ts';
import { fetchTrusting, startHttpsFixture, startSignInGateway, throwawayCertificate, type HttpsFixture, type SignInGateway } from './support.ts';
import { IDP_CLIENT, startCompanyIdp, type CompanyIdp } from './company-idp.ts';

describe.skipIf(browserSkipReason())('signing in with the company IdP', () => {
  let idp: CompanyIdp;
  let documents: HttpsFixture;
  let t: SignInGateway;
  let browser: Browser;
  let page: Page;
  /** Every request the browser made to Canopy's /sign-in/callback, in order. */
  const callbacks: string[] = [];

  beforeAll(async () => {
    const certificate = throwawayCertificate();
    documents = await startHttpsFixture(certificate);
    const port = await freePort();
    idp = await startCompanyIdp(`http://127.0.0.1:${port}/sign-in/callback`);
    t = await startSignInGateway({
      port,
      clientMetadataFetch: fetchTrusting(certificate.cert),
      settingsEnv: {
        CANOPY_SSO_ISSUER: idp.issuer,
        CANOPY_SSO_CLIENT_ID: IDP_CLIENT.clientId,
        CANOPY_SSO_CLIENT_SECRET: IDP_CLIENT.clientSecret,
        CANOPY_SSO_ADMIN_GROUPS: 'canopy-admins',
      },
    });
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.memory('notes', join(mkdtempSync(join(tmpdir(), 'canopy-sso-')), 'notes.jsonl')) });
    // Pre-created for SSO (no token), to be linked at their first login; carol is disabled before she ever signs in.
    await admin.createUser({ name: 'bob', sso: true });
    await admin.createUser({ name: 'carol', sso: true });
    await admin.updateUser('carol', { disabled: true });
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
    page.on('request', (request) => {
      if (request.url().startsWith(`${t.publicUrl}/sign-in/callback`)) callbacks.push(request.url());
    });
    // The MCP client's redirect: answered here, as the client's own loopback listener would.
    await page.route(`${REDIRECT_URL}**`, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'back at the client' }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
    await documents?.close();
  });

  /**
   * Runs the SDK client's OAuth flow against `path`: Chromium logs in at the IdP as `login` (none:
   * the browser's Canopy session is still signed in) and approves on Canopy's consent page.
   */
  async function authorize(oauth: TestOAuthClient, path: string, login: string | undefined): Promise<{ params: URLSearchParams; consent: string }> {
    const transport = new StreamableHTTPClientTransport(new URL(`${t.publicUrl}${path}`), { authProvider: oauth });
    await expect(new Client({ name: 'sso-test', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
    expect(oauth.authorizationUrl?.origin).toBe(t.publicUrl);
    expect(oauth.authorizationUrl?.searchParams.get('resource')).toBe(`${t.publicUrl}${path}`);
    expect(oauth.authorizationUrl?.searchParams.get('code_challenge_method')).toBe('S256');
    await page.goto(oauth.authorizationUrl!.href);
    if (login) {
      // The company IdP's login and its own consent.
      await page.fill('input[name=login]', login);
      await page.fill('input[name=password]', 'any');
      await page.click('button[type=submit]');
      await page.click('button[type=submit]');
    }
    await page.waitForURL((url) => url.href.startsWith(t.publicUrl) && url.pathname.startsWith('/sign-in/interaction/'));
    const consent = await page.content();
    expect(consent).toContain('Allow access to Canopy?');
    await page.click('button[value=approve]');
    await page.waitForURL((url) => url.href.startsWith(REDIRECT_URL));
    const params = new URL(page.url()).searchParams;
    await transport.finishAuth(params);
    return { params, consent };
  }

  it('lets a first-time person in through DCR, consent and PKCE; the token names them and calls a tool on /mcp', async () => {
    const oauth = new TestOAuthClient('Test Desktop Client');
    const { params, consent } = await authorize(oauth, '/mcp', 'alice');
    // The consent page names the client, where the access goes, and what it is.
    expect(consent).toContain('<strong>Test Desktop Client</strong>');
    expect(consent).toContain('<strong>127.0.0.1:9</strong>');
    expect(consent).toContain('<code>mcp</code>');
    expect(params.get('iss')).toBe(t.publicUrl);
    expect(params.get('state')).toBe(oauth.sentState);

    const token = oauth.tokens()!;
    expect(decodeProtectedHeader(token.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const claims = decodeJwt(token.access_token);
    expect(claims).toMatchObject({ iss: t.publicUrl, sub: 'alice', aud: `${t.publicUrl}/mcp`, scope: 'mcp', client_id: oauth.clientInformation()!.client_id });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(15 * 60);
    expect(claims.jti).toEqual(expect.any(String));
    expect(token.refresh_token).toEqual(expect.any(String));

    const client = new Client({ name: 'sso-test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${t.publicUrl}/mcp`), { authProvider: oauth }));
    expect((await client.callTool({ name: 'notes__read_graph', arguments: {} })).isError).toBeFalsy();
    await client.close();

    // First login made alice a user, linked to the IdP, admin through the group claim.
    const alice = (await t.apiAs(t.adminToken).listUsers()).find((user) => user.name === 'alice');
    expect(alice).toMatchObject({ role: 'admin', ssoLinked: true, email: 'alice@corp.example', disabled: false });
  });

  it('rotates refresh tokens, redeems a code once, and revokes the grant when either is replayed', async () => {
    const oauth = new TestOAuthClient('Refreshing Client');
    const { params } = await authorize(oauth, '/servers/notes/mcp', undefined);
    const { client_id } = oauth.clientInformation()!;
    const tokenRequest = (body: Record<string, string>) =>
      fetch(`${t.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id, ...body }) });

    const first = oauth.tokens()!.refresh_token!;
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first });
    expect(refreshed.status, await refreshed.clone().text()).toBe(200);
    const next = await refreshed.json();
    expect(next.refresh_token).not.toBe(first);
    expect(decodeJwt(next.access_token).aud).toBe(`${t.publicUrl}/servers/notes/mcp`);

    const replayed = await tokenRequest({ grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: REDIRECT_URL, code_verifier: oauth.codeVerifier() });
    expect(replayed.status).toBe(400);
    expect((await replayed.json()).error).toBe('invalid_grant');
    // A replayed code revokes what it was exchanged for (RFC 6749 §4.1.2): the rotated refresh token too.
    expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: next.refresh_token })).status).toBe(400);
    expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: first })).status).toBe(400);
  });

  it('takes a client ID metadata document as the client and names it on the consent page', async () => {
    const id = `${documents.url}/mcp-client.json`;
    documents.serve('/mcp-client.json', { client_id: id, client_name: 'Metadata Document Client', redirect_uris: [REDIRECT_URL], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], application_type: 'native' });
    const oauth = new TestOAuthClient('ignored: the document names it', id);
    const { consent } = await authorize(oauth, '/mcp', undefined);
    expect(consent).toContain('<strong>Metadata Document Client</strong>');
    expect(consent).toContain(`<code>${id}</code>`);
    expect(decodeJwt(oauth.tokens()!.access_token).client_id).toBe(id);
  });

  it('refuses a replayed state at the callback', async () => {
    const used = callbacks.at(-1) ?? callbacks[0];
    expect(used).toBeDefined();
    await page.goto(used);
    expect(await page.content()).toContain('already used');
  });

  it('refuses a consent form without its CSRF token, and answers consent pages unframed', async () => {
    const oauth = new TestOAuthClient('CSRF Client');
    const transport = new StreamableHTTPClientTransport(new URL(`${t.publicUrl}/mcp`), { authProvider: oauth });
    await expect(new Client({ name: 'sso-test', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
    await page.goto(oauth.authorizationUrl!.href);
    await page.waitForURL((url) => url.pathname.startsWith('/sign-in/interaction/'));
    const consent = await page.request.get(page.url());
    expect(consent.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(consent.headers()['x-frame-options']).toBe('DENY');
    await page.evaluate(() => document.querySelector('input[name=csrf]')!.remove());
    await page.click('button[value=approve]');
    await page.waitForLoadState();
    expect(await page.content()).toContain('CSRF');
    expect(page.url()).not.toContain(REDIRECT_URL);
  });

  it('links a user pre-created for SSO by name, and refuses a disabled one', async () => {
    const other = await browser.newContext();
    const fresh = await other.newPage();
    try {
      const oauth = new TestOAuthClient('Carol Client');
      const transport = new StreamableHTTPClientTransport(new URL(`${t.publicUrl}/mcp`), { authProvider: oauth });
      await expect(new Client({ name: 'sso-test', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
      await fresh.goto(oauth.authorizationUrl!.href);
      await fresh.fill('input[name=login]', 'carol');
      await fresh.fill('input[name=password]', 'any');
      await fresh.click('button[type=submit]');
      await fresh.click('button[type=submit]');
      await fresh.waitForURL((url) => url.href.startsWith(`${t.publicUrl}/sign-in/callback`));
      expect(await fresh.content()).toContain("Your Canopy account 'carol' is disabled");
    } finally {
      await other.close();
    }
    const users = await t.apiAs(t.adminToken).listUsers();
    expect(users.find((user) => user.name === 'carol')).toMatchObject({ ssoLinked: true, disabled: true });
    expect(users.find((user) => user.name === 'bob')).toMatchObject({ ssoLinked: false });
    expect(users.filter((user) => user.name.startsWith('carol'))).toHaveLength(1);
  });

  it('stops a disabled user\'s OAuth tokens on the MCP endpoints', async () => {
    const oauth = new TestOAuthClient('Soon Disabled');
    await authorize(oauth, '/mcp', undefined);
    const token = oauth.tokens()!.access_token;
    expect((await rawInitialize(t.url, '/mcp', token)).status).toBe(200);
    const admin = t.apiAs(t.adminToken);
    await admin.createUser({ name: 'dave', role: 'admin' });
    await admin.updateUser('alice', { disabled: true });
    try {
      const refused = await rawInitialize(t.url, '/mcp', token);
      expect(refused.status).toBe(403);
      expect(JSON.stringify(refused.body)).toContain("user 'alice' is disabled");
      // Nor does the authorization server give them new tokens.
      const refresh = await fetch(`${t.url}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: oauth.tokens()!.refresh_token!, client_id: oauth.clientInformation()!.client_id }),
      });
      expect(refresh.status).toBe(400);
    } finally {
      await admin.updateUser('alice', { disabled: false });
    }
  });

  it('gives a deleted user\'s grants nothing of a later user of the same name', async () => {
    const oauth = new TestOAuthClient('Outlives Its User');
    await authorize(oauth, '/mcp', undefined);
    const admin = t.apiAs(t.adminToken);
    await admin.deleteUser('alice');
    // Users are named after logins: someone else may be 'alice' next (a new hire, a re-created account).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await admin.createUser({ name: 'alice' });
    const refresh = await fetch(`${t.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: oauth.tokens()!.refresh_token!, client_id: oauth.clientInformation()!.client_id }),
    });
    expect(refresh.status).toBe(400);
    // Nor does the browser still signed in as the old alice get a consent page to act as the new one.
    const other = new TestOAuthClient('After The Deletion');
    const transport = new StreamableHTTPClientTransport(new URL(`${t.publicUrl}/mcp`), { authProvider: other });
    await expect(new Client({ name: 'sso-test', version: '1' }).connect(transport)).rejects.toThrow(UnauthorizedError);
    await page.goto(other.authorizationUrl!.href);
    expect(await page.content()).not.toContain('Allow access to Canopy?');
    expect(page.url().startsWith(REDIRECT_URL)).toBe(false);
  });
});
