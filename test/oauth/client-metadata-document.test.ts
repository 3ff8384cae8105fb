// Client ID metadata documents against a real authorization server: where the server supports them
// and the config names one (oauth_client_metadata_url), its URL is Canopy's client ID and nothing is
// registered; elsewhere Canopy registers dynamically as before.
import { afterEach, describe, expect, it } from 'vitest';
import { serverConfigSchema } from '../../main/core/config/server-config.ts';
import { UpstreamOAuth } from '../../main/core/upstream/oauth/upstream-oauth.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { connect, echo, playBrowser, REDIRECT_URI, testSecretStore } from './helpers.ts';

const DOCUMENT_URL = 'https://canopy.example.com/oauth/client-metadata.json';

const running: ProtectedMcpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function setUp(clientIdMetadataDocuments: boolean) {
  const upstream = await startProtectedMcpServer({ authServerOptions: { clientIdMetadataDocuments } });
  running.push(upstream);
  // What the authorization server would read at the URL: a client whose ID is that URL.
  upstream.authServer.addClient({ client_id: DOCUMENT_URL, redirect_uris: [REDIRECT_URI] });
  const oauth = new UpstreamOAuth({ secrets: testSecretStore(), redirectUri: REDIRECT_URI, requestTimeoutMs: 5000 });
  return { upstream, oauth, server: { name: 'docs', url: upstream.mcpUrl, oauth_client_metadata_url: DOCUMENT_URL } };
}

describe('a client ID metadata document (oauth_client_metadata_url)', () => {
  it('is the client ID where the authorization server supports such documents: nothing is registered', async () => {
    const { upstream, oauth, server } = await setUp(true);
    const { authorizationUrl } = await oauth.startAuthorization(server);
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toBe(DOCUMENT_URL);
    expect(await oauth.completeAuthorization(await playBrowser(authorizationUrl))).toEqual({ server: 'docs' });
    expect(upstream.authServer.counters).toMatchObject({ registrations: 0, codeExchanges: 1 });
    const client = await connect(upstream.mcpUrl, oauth.providerFor(server));
    expect(await client.callTool({ name: 'whoami' })).toMatchObject({ content: [{ type: 'text', text: DOCUMENT_URL }] });
    expect(await echo(client, 'hi')).toBe('echo: hi');
    await client.close();
  });

  it('is not used where the authorization server does not support it: Canopy registers dynamically', async () => {
    const { upstream, oauth, server } = await setUp(false);
    const { authorizationUrl } = await oauth.startAuthorization(server);
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toMatch(/^dyn-/);
    expect(upstream.authServer.counters.registrations).toBe(1);
  });

  it('must be an https URL with a path', () => {
    const base = { name: 'docs', url: 'https://mcp.example.com/mcp' };
    expect(serverConfigSchema.safeParse({ ...base, oauth_client_metadata_url: DOCUMENT_URL }).success).toBe(true);
    for (const bad of ['http://canopy.example.com/client.json', 'https://canopy.example.com/', 'client.json']) {
      const parsed = serverConfigSchema.safeParse({ ...base, oauth_client_metadata_url: bad });
      expect(parsed.error?.issues[0]?.message).toBe('must be an https:// URL with a path (where the client ID metadata document is published)');
    }
  });
});
