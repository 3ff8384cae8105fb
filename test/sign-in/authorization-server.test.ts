// Canopy as an OAuth authorization server (oidc-provider behind the gateway's own listener): its
// metadata, dynamic registration, client ID metadata documents, the checks of an authorization
// request that come before anyone logs in, CORS for browser-based clients, and what its records keep.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { freshPostgres, freshSqlite, type TestLocation } from '../support/databases.ts';
import { fetchTrusting, startHttpsFixture, startSignInGateway, throwawayCertificate, type HttpsFixture, type SignInGateway } from './support.ts';

const challenge = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
const VERIFIER = 'a-code-verifier-that-is-long-enough-to-be-valid-0123456789';

describe('Canopy as authorization server', () => {
  let t: SignInGateway;
  let documents: HttpsFixture;
  let where: TestLocation;
  let dbPath: string;

  beforeAll(async () => {
    const certificate = throwawayCertificate();
    documents = await startHttpsFixture(certificate);
    where = await freshSqlite();
    dbPath = (where.location as { path: string }).path;
    t = await startSignInGateway({ location: where, clientMetadataFetch: fetchTrusting(certificate.cert) });
  });
  afterAll(async () => {
    await t?.close();
    await documents?.close();
    await where?.drop();
  });

  const register = (metadata: Record<string, unknown>, origin?: string) =>
    fetch(`${t.url}/oauth2/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      body: JSON.stringify(metadata),
    });
  const authorize = (params: Record<string, string>) =>
    fetch(`${t.url}/oauth2/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });

  it('publishes RFC 8414 and OpenID metadata naming its public URL, PKCE S256, iss responses and both registrations', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const response = await fetch(`${t.url}${path}`, { headers: { origin: 'https://claude.ai' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://claude.ai');
      const metadata = await response.json();
      expect(metadata).toMatchObject({
        issuer: t.publicUrl,
        authorization_endpoint: `${t.publicUrl}/oauth2/authorize`,
        token_endpoint: `${t.publicUrl}/oauth2/token`,
        registration_endpoint: `${t.publicUrl}/oauth2/register`,
        jwks_uri: `${t.publicUrl}/oauth2/jwks`,
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        client_id_metadata_document_supported: true,
        response_types_supported: ['code'],
      });
      expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['mcp', 'openid', 'offline_access']));
      expect(metadata.token_endpoint_auth_methods_supported).toContain('none');
    }
  });

  it('serves its signing keys (public only) at jwks_uri, to any origin', async () => {
    const response = await fetch(`${t.url}/oauth2/jwks`, { headers: { origin: 'https://chatgpt.com' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('https://chatgpt.com');
    const { keys } = await response.json();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0].d).toBeUndefined();
  });

  it('registers a native public client (DCR), also from a browser page of another origin', async () => {
    const preflight = await fetch(`${t.url}/oauth2/register`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:6274', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    const response = await register(
      { client_name: 'Test Client', application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:33418/callback'], grant_types: ['authorization_code', 'refresh_token'] },
      'http://localhost:6274',
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    const client = await response.json();
    expect(client).toMatchObject({ application_type: 'native', token_endpoint_auth_method: 'none', client_name: 'Test Client' });
    expect(client.client_secret).toBeUndefined();
  });

  it('takes a client that registers without an application type as an app on the machine (custom scheme, loopback), and keeps web clients to web redirects', async () => {
    const cursorLike = await register({ client_name: 'Cursor', token_endpoint_auth_method: 'none', redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/user-canopy/callback'] });
    expect(cursorLike.status).toBe(201);
    expect(await cursorLike.json()).toMatchObject({ application_type: 'native' });
    const webLike = await register({ client_name: 'Claude', redirect_uris: ['https://claude.ai/api/mcp/auth_callback'], token_endpoint_auth_method: 'client_secret_post' });
    expect(webLike.status).toBe(201);
    const webOnLoopback = await register({ application_type: 'web', redirect_uris: ['http://localhost:6274/oauth/callback'], token_endpoint_auth_method: 'none' });
    expect(webOnLoopback.status).toBe(201);
    for (const refused of [
      { application_type: 'web', redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/callback'] },
      { redirect_uris: ['http://canopy-victim.example/callback'] },
      { redirect_uris: ['javascript:alert(1)'] },
      // Plain http carries the code in the clear: web clients too get it only on loopback.
      { application_type: 'web', redirect_uris: ['http://canopy-victim.example/callback'] },
      { application_type: 'web', redirect_uris: ['http://localhost.evil.example/callback'] },
      { application_type: 'web', redirect_uris: ['http://127.0.0.1@evil.example/callback'] },
      { application_type: 'web', redirect_uris: ['https://claude.ai/api/mcp/auth_callback', 'http://0.0.0.0/callback'] },
    ]) {
      const response = await register({ token_endpoint_auth_method: 'none', ...refused });
      expect(response.status, JSON.stringify(refused)).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_redirect_uri' });
    }
  });

  it('matches a loopback redirect on any port for a native client, and any other redirect exactly', async () => {
    const client = await (await register({ application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:33418/callback'] })).json();
    const base = { client_id: client.client_id, response_type: 'code', code_challenge: challenge(VERIFIER), code_challenge_method: 'S256', state: 's1', resource: `${t.publicUrl}/mcp` };

    const otherPort = await authorize({ ...base, redirect_uri: 'http://127.0.0.1:51234/callback' });
    expect(otherPort.status).toBe(303);
    expect(otherPort.headers.get('location')).toMatch(/^\/sign-in\/interaction\/[\w-]+$/);

    for (const redirect of ['http://127.0.0.1:33418/other', 'https://evil.example/callback']) {
      const refused = await authorize({ ...base, redirect_uri: redirect });
      // An unregistered redirect is never followed: the error is shown here, not sent there.
      expect(refused.status).toBe(400);
      expect(refused.headers.get('location')).toBeNull();
      // Like every sign-in page: never framed, no script.
      expect(refused.headers.get('x-frame-options')).toBe('DENY');
      expect(refused.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await refused.text()).toContain('redirect_uri did not match any of the client&#39;s registered redirect_uris');
    }
  });

  it('requires PKCE S256 and a resource of this gateway, and answers with iss', async () => {
    const client = await (await register({ application_type: 'native', token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1:33418/callback'] })).json();
    const base = { client_id: client.client_id, response_type: 'code', redirect_uri: 'http://127.0.0.1:33418/callback', state: 'the-state' };
    const noPkce = new URL((await authorize({ ...base, resource: `${t.publicUrl}/mcp` })).headers.get('location')!);
    expect(Object.fromEntries(noPkce.searchParams)).toMatchObject({ error: 'invalid_request', state: 'the-state', iss: t.publicUrl });
    const plain = new URL((await authorize({ ...base, code_challenge: VERIFIER, code_challenge_method: 'plain', resource: `${t.publicUrl}/mcp` })).headers.get('location')!);
    expect(plain.searchParams.get('error')).toBe('invalid_request');
    for (const resource of ['https://elsewhere.example/mcp', `${t.publicUrl}/api/v0/servers`, `${t.publicUrl}/mcp/`]) {
      const location = new URL((await authorize({ ...base, code_challenge: challenge(VERIFIER), code_challenge_method: 'S256', resource })).headers.get('location')!);
      expect(Object.fromEntries(location.searchParams)).toMatchObject({ error: 'invalid_target', state: 'the-state', iss: t.publicUrl });
    }
    const ok = await authorize({ ...base, code_challenge: challenge(VERIFIER), code_challenge_method: 'S256', resource: `${t.publicUrl}/servers/github/mcp` });
    expect(ok.headers.get('location')).toMatch(/^\/sign-in\/interaction\//);
  });

  it('takes an https client ID metadata document as the client, and refuses a bad or missing one', async () => {
    const id = `${documents.url}/clients/good.json`;
    documents.serve('/clients/good.json', { client_id: id, client_name: 'Metadata Client', redirect_uris: ['http://127.0.0.1:40000/cb'], token_endpoint_auth_method: 'none', application_type: 'native' });
    const base = { response_type: 'code', redirect_uri: 'http://127.0.0.1:40001/cb', code_challenge: challenge(VERIFIER), code_challenge_method: 'S256', state: 'x', resource: `${t.publicUrl}/mcp` };
    const ok = await authorize({ ...base, client_id: id });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/^\/sign-in\/interaction\//);

    const other = `${documents.url}/clients/other.json`;
    documents.serve('/clients/other.json', { client_id: `${documents.url}/clients/good.json`, redirect_uris: ['http://127.0.0.1:40000/cb'], token_endpoint_auth_method: 'none' });
    const secretful = `${documents.url}/clients/secret.json`;
    documents.serve('/clients/secret.json', { client_id: secretful, redirect_uris: ['http://127.0.0.1:40000/cb'], token_endpoint_auth_method: 'client_secret_basic' });
    for (const clientId of [other, secretful, `${documents.url}/clients/missing.json`]) {
      const refused = await authorize({ ...base, client_id: clientId });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('location')).toBeNull();
      // Like every sign-in page: never framed, no script.
      expect(refused.headers.get('x-frame-options')).toBe('DENY');
      expect(refused.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('keeps records under hashed ids with no id or secret in their payloads', async () => {
    const confidential = await (await register({ redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'client_secret_post' })).json();
    expect(confidential.client_secret).toEqual(expect.any(String));
    const started = await authorize({ client_id: confidential.client_id, response_type: 'code', redirect_uri: 'https://app.example/cb', code_challenge: challenge(VERIFIER), code_challenge_method: 'S256', resource: `${t.publicUrl}/mcp` });
    const uid = started.headers.get('location')!.split('/').pop()!;
    const rows = readRecords(dbPath);
    expect(rows.map((row) => row.model)).toEqual(expect.arrayContaining(['Client', 'Interaction', 'RegistrationAccessToken']));
    const text = JSON.stringify(rows);
    for (const secret of [uid, confidential.client_secret, confidential.registration_access_token]) expect(text).not.toContain(secret);
    const uidHash = createHash('sha256').update(uid).digest('hex');
    expect(rows.some((row) => row.model === 'Interaction' && row.key_hash === uidHash)).toBe(true);
  });
});

describe('replicas on one PostgreSQL', () => {
  it('sign with one key, generated once, kept encrypted in the database', async () => {
    const where = await freshPostgres();
    const secretKey = randomBytes(32).toString('base64');
    const [a, b] = await Promise.all([
      startSignInGateway({ location: where, secretStore: undefined, secretKey }),
      startSignInGateway({ location: where, secretStore: undefined, secretKey, initialize: false }),
    ]);
    try {
      const [jwksA, jwksB] = await Promise.all([a, b].map(async (t) => (await fetch(`${t.url}/oauth2/jwks`)).json()));
      expect(jwksA.keys).toHaveLength(1);
      expect(jwksB).toEqual(jwksA);
    } finally {
      await Promise.allSettled([a.close(), b.close()]);
      await where.drop();
    }
  });
});

function readRecords(path: string): { model: string; key_hash: string; payload: string }[] {
  // The gateway's own database, read the way someone with a copy of it would.
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return db.prepare('SELECT model, key_hash, payload FROM sign_in_records').all() as { model: string; key_hash: string; payload: string }[];
  } finally {
    db.close();
  }
}
