// The web UI of an enterprise gateway: token login, then MCP clients (token shown once, rotate, delete),
// a user's OAuth allow-list, and OAuth client rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AdminClient } from '../../main/core/api/client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { browserSkipReason, launchChromium, openPage, screenshot } from './support/browser.ts';
import { ensureRendererBuilt } from './support/renderer-build.ts';

const skipReason = browserSkipReason();
if (skipReason) console.log(`skipping enterprise web UI tests: ${skipReason}`);

describe.skipIf(Boolean(skipReason))('web UI (enterprise mode)', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let adminToken: string;

  const listClients = () => new AdminClient({ baseUrl: gateway.url, token: adminToken }).listClients();

  beforeAll(async () => {
    const [rendererDir, chromium] = await Promise.all([ensureRendererBuilt(), launchChromium()]);
    browser = chromium;
    gateway = await startTestGateway({ rendererDir, mode: 'enterprise' });
    // From loopback, initialization needs no bootstrap secret.
    adminToken = (await new AdminClient({ baseUrl: gateway.url }).init()).token;
    page = await openPage(browser, `${gateway.url}/`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('calls an uninitialized gateway what it is and says how to initialize it', async () => {
    const fresh = await startTestGateway({ rendererDir: await ensureRendererBuilt(), mode: 'enterprise' });
    try {
      const other = await openPage(browser, `${fresh.url}/`);
      await other.getByRole('heading', { name: 'Canopy needs initialization' }).waitFor();
      expect(await other.locator('main').textContent()).toMatch(/canopy init-server/);
      expect(await other.getByText('Canopy is not reachable').count()).toBe(0);
      await screenshot(other, '09-enterprise-uninitialized');
      await other.close();
    } finally {
      await fresh.close();
    }
  });

  it('asks for a token and refuses a wrong one', async () => {
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/token/i);
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    await screenshot(page, '10-enterprise-login');
  });

  it('signs in with the admin token and shows Clients and users', async () => {
    await page.getByLabel('Access token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Clients and users' }).click();
    await page.getByRole('region', { name: 'MCP clients' }).waitFor();
  });

  it('creates an MCP client with an allow-list and shows its token once', async () => {
    const form = page.getByRole('form', { name: 'Create an MCP client' });
    await form.getByLabel('Client name').fill('cursor-laptop');
    await form.getByLabel('Allowed servers and tools').fill('everything, memory__read_graph');
    await form.getByRole('button', { name: 'Create client' }).click();
    const token = page.getByLabel('New token');
    await token.waitFor();
    const issued = (await token.textContent()) ?? '';
    expect(issued.length).toBeGreaterThanOrEqual(32);
    expect(await listClients()).toContainEqual(expect.objectContaining({ name: 'cursor-laptop', allow: ['everything', 'memory__read_graph'] }));
    await screenshot(page, '11-enterprise-client-token');
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await token.count()).toBe(0);

    await page.getByRole('button', { name: 'Rotate token of cursor-laptop' }).click();
    await token.waitFor();
    expect(await token.textContent()).not.toBe(issued);
    await page.getByRole('button', { name: 'I have saved it' }).click();

    await page.getByRole('button', { name: 'Delete cursor-laptop' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(async () => (await listClients()).map((c) => c.name)).not.toContain('cursor-laptop');
  });

  it("sets what a user's OAuth clients may reach, and restricts OAuth clients", async () => {
    const admin = new AdminClient({ baseUrl: gateway.url, token: adminToken });
    const form = page.getByRole('form', { name: 'Create a user' });
    await form.getByLabel('User name').fill('alice');
    await form.getByLabel('Reachable through OAuth').fill('everything, research');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await admin.listUsers()).toContainEqual(expect.objectContaining({ name: 'alice', allow: ['everything', 'research'] }));
    await page.getByRole('button', { name: 'Edit what alice may reach' }).click();
    const editor = page.getByRole('form', { name: 'What alice may reach' });
    await editor.getByLabel('Allowed servers and tools for alice').fill('memory');
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await admin.listUsers()).find((user) => user.name === 'alice')?.allow).toEqual(['memory']);

    // A person pre-created for SSO gets no token, and an admin promotes and demotes from the table.
    await form.getByLabel('User name').fill('dana-smith');
    await form.getByLabel("Signs in with the company's SSO").check();
    await form.getByRole('button', { name: 'Create user' }).click();
    await expect.poll(async () => (await admin.listUsers()).map((user) => user.name)).toContain('dana-smith');
    expect(await page.getByRole('button', { name: 'I have saved it' }).count()).toBe(0);
    const dana = page.getByRole('row').filter({ hasText: 'dana-smith' });
    await dana.getByRole('button', { name: 'Make admin' }).click();
    await expect.poll(async () => (await admin.listUsers()).find((user) => user.name === 'dana-smith')?.role).toBe('admin');
    await dana.getByRole('button', { name: 'Make user' }).waitFor();

    const claude = 'https://claude.ai/oauth/mcp-oauth-client-metadata';
    const ruleForm = page.getByRole('form', { name: 'Add an OAuth client rule' });
    await ruleForm.getByLabel('Client ID or metadata URL').fill(claude);
    await ruleForm.getByLabel('Allowed for this client').fill('memory, github');
    await ruleForm.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('region', { name: 'OAuth clients' }).getByText(claude, { exact: true }).waitFor();
    expect((await admin.listOAuthClientRules()).rules).toEqual([expect.objectContaining({ clientId: claude, allow: ['memory', 'github'] })]);
    await page.getByLabel('Clients without a rule').selectOption('refuse');
    await expect.poll(async () => (await admin.listOAuthClientRules()).unlisted).toBe('refuse');
    await screenshot(page, '12-enterprise-oauth-clients');
    await page.getByRole('button', { name: `Delete the rule of ${claude}` }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(async () => (await admin.listOAuthClientRules()).rules).toEqual([]);
  });
});
