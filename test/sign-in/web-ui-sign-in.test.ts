// The web UI's "Sign in with SSO": Chromium logs in at the company IdP (a local oidc-provider), comes
// back with Canopy's session cookie, and the admin API takes it as that user; MCP endpoints do not,
// a write or a sign-out from another origin is still refused, and signing out ends the session.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, screenshot } from '../ui/support/browser.ts';
import { ensureRendererBuilt } from '../ui/support/renderer-build.ts';
import { freePort } from '../support/upstreams.ts';
import { rawInitialize } from '../enterprise/support.ts';
import { startSignInGateway, type SignInGateway } from './support.ts';
import { IDP_CLIENT, startCompanyIdp, type CompanyIdp } from './company-idp.ts';

describe.skipIf(browserSkipReason())('the web UI signed in through SSO', () => {
  let idp: CompanyIdp;
  let t: SignInGateway;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const port = await freePort();
    const [rendererDir, chromium] = await Promise.all([ensureRendererBuilt(), launchChromium()]);
    browser = chromium;
    idp = await startCompanyIdp(`http://127.0.0.1:${port}/sign-in/callback`);
    t = await startSignInGateway({
      port,
      rendererDir,
      settingsEnv: { CANOPY_SSO_ISSUER: idp.issuer, CANOPY_SSO_CLIENT_ID: IDP_CLIENT.clientId, CANOPY_SSO_CLIENT_SECRET: IDP_CLIENT.clientSecret, CANOPY_SSO_ADMIN_GROUPS: 'canopy-admins' },
    });
    page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  it('offers SSO on the login screen and signs an admin in with it', async () => {
    await page.goto(`${t.publicUrl}/`);
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await page.fill('input[name=login]', 'alice');
    await page.fill('input[name=password]', 'any');
    await page.click('button[type=submit]');
    await page.click('button[type=submit]');
    await page.waitForURL(`${t.publicUrl}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await screenshot(page, 'sso-signed-in', 'sign-in');

    const cookie = (await page.context().cookies()).find((c) => c.name === 'canopy-session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const asCookie = { cookie: `canopy-session=${cookie.value}` };
    const whoami = await fetch(`${t.url}/api/v0/whoami`, { headers: asCookie });
    expect(await whoami.json()).toMatchObject({ kind: 'user', name: 'alice', role: 'admin' });
    const users = await fetch(`${t.url}/api/v0/users`, { headers: asCookie });
    expect(users.status).toBe(200);

    // Not an MCP credential; and a page of another origin cannot write with it.
    expect((await rawInitialize(t.url, '/mcp', undefined)).status).toBe(401);
    const mcp = await fetch(`${t.url}/mcp`, { method: 'POST', headers: { ...asCookie, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(mcp.status).toBe(401);
    const crossSite = await fetch(`${t.url}/api/v0/users`, {
      method: 'POST',
      headers: { ...asCookie, origin: 'http://127.0.0.1:1', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'mallory' }),
    });
    expect(crossSite.status).toBe(403);
    // Nor sign the person out: the cookie is SameSite=Strict, but another loopback port is the same site.
    const crossSiteSignOut = await fetch(`${t.url}/sign-in/ui/sign-out`, {
      method: 'POST',
      headers: { ...asCookie, origin: 'http://127.0.0.1:1', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(crossSiteSignOut.status).toBe(403);
    expect((await fetch(`${t.url}/api/v0/whoami`, { headers: asCookie })).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in with SSO' }).waitFor();
    expect((await fetch(`${t.url}/api/v0/users`, { headers: asCookie })).status).toBe(401);
  });

  it('takes the session no more once the user is disabled, or deleted and made again', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(`${t.publicUrl}/sign-in/ui`);
    await other.fill('input[name=login]', 'erin');
    await other.fill('input[name=password]', 'any');
    await other.click('button[type=submit]');
    await other.click('button[type=submit]');
    await other.waitForURL(`${t.publicUrl}/`);
    const cookie = (await context.cookies()).find((c) => c.name === 'canopy-session')!;
    const asCookie = { cookie: `canopy-session=${cookie.value}` };
    expect(await (await fetch(`${t.url}/api/v0/whoami`, { headers: asCookie })).json()).toMatchObject({ name: 'erin', role: 'user' });
    await t.apiAs(t.adminToken).updateUser('erin', { disabled: true });
    expect((await fetch(`${t.url}/api/v0/whoami`, { headers: asCookie })).status).toBe(401);
    // Nor once the user is deleted and someone else is made 'erin' (names come from logins).
    await t.apiAs(t.adminToken).deleteUser('erin');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await t.apiAs(t.adminToken).createUser({ name: 'erin' });
    expect((await fetch(`${t.url}/api/v0/whoami`, { headers: asCookie })).status).toBe(401);
    await context.close();
  });
});
