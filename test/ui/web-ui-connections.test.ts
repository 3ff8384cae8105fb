// The web UI's Connections page in Chromium: the link an MCP client is given ("connect your
// account", /connections?server=NAME) opens it after sign-in; a user connects their own account of
// a per-user server with a personal token, their calls then use it, and they disconnect it; OAuth
// completes in the browser that started it (the authorization server here approves at once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AdminClient } from '../../main/core/api/client.ts';
import { eventually, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startAccountServer, type AccountServer } from '../support/account-server.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { text } from '../enterprise/support.ts';
import { browserSkipReason, launchChromium, openPage, screenshot } from './support/browser.ts';
import { ensureRendererBuilt } from './support/renderer-build.ts';

const skipReason = browserSkipReason();
if (skipReason) console.log(`skipping Connections page tests: ${skipReason}`);

describe.skipIf(Boolean(skipReason))('web UI: Connections', () => {
  let gateway: TestGateway;
  let upstream: AccountServer;
  let oauthUpstream: ProtectedMcpServer;
  let browser: Browser;
  let page: Page;
  let alice: AdminClient;
  let aliceToken: string;

  beforeAll(async () => {
    const [rendererDir, chromium] = await Promise.all([ensureRendererBuilt(), launchChromium()]);
    browser = chromium;
    upstream = await startAccountServer({ 'tok-alice-5e1d': 'alice@accounts' });
    oauthUpstream = await startProtectedMcpServer();
    gateway = await startTestGateway({ rendererDir, mode: 'enterprise' });
    const admin = new AdminClient({ baseUrl: gateway.url, token: (await new AdminClient({ baseUrl: gateway.url }).init()).token });
    await admin.registerServer({ config: { name: 'accounts', description: 'Everyone has an account here', url: upstream.url, transport: 'streamable_http', credentials: 'per_user' } });
    await admin.registerServer({ config: { name: 'todo', url: oauthUpstream.mcpUrl, transport: 'streamable_http', credentials: 'per_user' } });
    aliceToken = (await admin.createUser({ name: 'alice' })).token;
    alice = new AdminClient({ baseUrl: gateway.url, token: aliceToken });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await upstream?.close();
    await oauthUpstream?.close();
  });

  it('opens the page a connect link names once the person has signed in', async () => {
    page = await openPage(browser, `${gateway.url}/connections?server=accounts`);
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Access token').fill(aliceToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
    expect(page.url()).toBe(`${gateway.url}/#/connections?server=accounts`);
    const card = page.getByRole('listitem', { name: 'Connection accounts' });
    expect(await card.getByLabel('accounts connection: not connected').count()).toBe(1);
    expect(await card.textContent()).toContain('Everyone has an account here');
    await screenshot(page, '20-connections-not-connected');
  });

  it("connects the signed-in user's account with a personal token, which their calls then use", async () => {
    const card = page.getByRole('listitem', { name: 'Connection accounts' });
    const field = card.getByLabel('Or paste a personal token');
    expect(await field.getAttribute('type')).toBe('password');
    await field.fill('tok-alice-5e1d');
    await card.getByRole('button', { name: 'Save token' }).click();
    await card.getByLabel('accounts connection: connected').waitFor();
    expect(await field.inputValue()).toBe('');
    await screenshot(page, '21-connections-connected');
    expect(await alice.listConnections()).toContainEqual(expect.objectContaining({ server: 'accounts', status: 'connected', kind: 'token' }));
    await eventually(async () => (await alice.listTools()).some((tool) => tool.name === 'accounts__whoami'), 15_000, 'the per-user catalog');
    expect(text(await alice.invokeTool('accounts__whoami', {}))).toBe('alice@accounts');
  });

  it('shows what the service refused, and disconnects', async () => {
    const card = page.getByRole('listitem', { name: 'Connection accounts' });
    const field = card.getByLabel('Or paste a personal token');
    await field.fill('tok-wrong');
    await card.getByRole('button', { name: 'Save token' }).click();
    await eventually(async () => (await field.inputValue()) === '', 5_000, 'the token to be saved');
    await expect(alice.invokeTool('accounts__whoami', {})).rejects.toThrow(/refused the account you connected/);
    await page.getByRole('button', { name: 'Refresh connections' }).click();
    await card.getByLabel('accounts connection: needs re-authorization').waitFor();

    await card.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('button', { name: 'Disconnect' }).last().click();
    await card.getByLabel('accounts connection: not connected').waitFor();
    expect(await alice.listConnections()).toContainEqual({ server: 'accounts', description: 'Everyone has an account here', status: 'not_connected' });
  });

  it('connects with OAuth: the authorization comes back to the browser that started it', async () => {
    const card = page.getByRole('listitem', { name: 'Connection todo' });
    const [popup] = await Promise.all([page.context().waitForEvent('page'), card.getByRole('button', { name: 'Connect with OAuth' }).click()]);
    await popup.getByRole('heading', { name: 'Canopy: connected' }).waitFor();
    await screenshot(popup, '22-connections-oauth-callback');
    await popup.close();
    await page.getByRole('button', { name: 'Refresh connections' }).click();
    await card.getByLabel('todo connection: connected').waitFor();
    expect(await alice.listConnections()).toContainEqual(expect.objectContaining({ server: 'todo', status: 'connected', kind: 'oauth' }));
    await eventually(async () => (await alice.listTools()).some((tool) => tool.name === 'todo__whoami'), 15_000, 'the OAuth server catalog');
    expect(text(await alice.invokeTool('todo__whoami', {}))).toMatch(/\S/);
  });
});
