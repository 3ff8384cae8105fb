// Shared steps for the upstream-OAuth tests: play the browser against the test authorization
// server, and connect real SDK clients through the provider UpstreamOAuth hands out.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import type { AuthorizationCallback, AuthorizedAccount, OAuthServerConfig, UpstreamOAuth } from '../../main/core/upstream/oauth/upstream-oauth.ts';

export const REDIRECT_URI = 'http://127.0.0.1:7450/oauth/callback';

/** What a browser does with the authorization URL: the server auto-approves and redirects back. */
export async function playBrowser(authorizationUrl: string): Promise<AuthorizationCallback & { redirectedTo: URL }> {
  const response = await fetch(authorizationUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const redirectedTo = new URL(response.headers.get('location') ?? '');
  const param = (name: string) => redirectedTo.searchParams.get(name) ?? undefined;
  return { redirectedTo, state: param('state'), code: param('code'), iss: param('iss'), error: param('error'), error_description: param('error_description') };
}

/** Start, approve in the "browser", complete. */
export async function authorize(oauth: UpstreamOAuth, server: OAuthServerConfig, user?: string): Promise<AuthorizedAccount> {
  const { authorizationUrl } = await oauth.startAuthorization(server, user);
  return oauth.completeAuthorization(await playBrowser(authorizationUrl));
}

export async function connect(url: string, authProvider: OAuthClientProvider, transport: 'streamable_http' | 'sse' = 'streamable_http'): Promise<Client> {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(
    transport === 'sse'
      ? new SSEClientTransport(new URL(url), { authProvider })
      : new StreamableHTTPClientTransport(new URL(url), { authProvider }),
  );
  return client;
}

export async function echo(client: Client, text: string): Promise<string> {
  const result = await client.callTool({ name: 'echo', arguments: { text } });
  const [first] = result.content as { type: string; text: string }[];
  return first.text;
}

/** A real SecretStore (the encrypted-file backend) in a temp dir that goes when the test finishes. */
export function testSecretStore(): FileSecretStore {
  const dataDir = mkdtempSync(join(tmpdir(), 'canopy-oauth-'));
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
  return new FileSecretStore(dataDir);
}

/** Every file under `dir`, read as text (the secret store's own files included). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
}
