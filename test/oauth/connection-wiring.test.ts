// The gateway's wiring, end to end: an upstream connection built with providerFor() runs on the
// stored token, turns 'needs_authorization' when no refresh is possible, and runs again after the
// user authorizes anew.
import { afterEach, expect, it } from 'vitest';
import { createUpstreamConnection } from '../../main/core/upstream/index.ts';
import type { UpstreamConnection } from '../../main/core/upstream/types.ts';
import { UpstreamOAuth } from '../../main/core/upstream/oauth/upstream-oauth.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { authorize, REDIRECT_URI, testSecretStore } from './helpers.ts';

let upstream: ProtectedMcpServer | undefined;
let connection: UpstreamConnection | undefined;
afterEach(async () => {
  await connection?.stop();
  await upstream?.close();
});

it('a connection needs authorization when the refresh token is refused, and runs again after re-authorizing', async () => {
  upstream = await startProtectedMcpServer();
  const oauth = new UpstreamOAuth({ secrets: testSecretStore(), redirectUri: REDIRECT_URI, requestTimeoutMs: 5000 });
  const config = { name: 'todo', transport: 'streamable_http' as const, url: upstream.mcpUrl };
  await authorize(oauth, config);

  upstream.authServer.failRefresh = true;
  upstream.authServer.revokeAccessTokens();
  connection = createUpstreamConnection(config, { authProvider: oauth.providerFor(config), initializeTimeoutMs: 5000, pingIntervalMs: 0 });
  await expect(connection.start()).rejects.toThrow();
  expect(connection.state.status).toBe('needs_authorization');

  upstream.authServer.failRefresh = false;
  await authorize(oauth, config);
  await connection.start();
  expect(connection.state.status).toBe('running');
  expect(connection.catalog?.tools.map((tool) => tool.name).sort()).toEqual(['echo', 'whoami']);
});
