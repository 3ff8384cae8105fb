// RFC 9207 against a real authorization server: an authorization response must name the server
// Canopy sent the user to (and must name one when that server promises to), else its code is never
// redeemed — the defence against an authorization-server mix-up.
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamOAuth } from '../../main/core/upstream/oauth/upstream-oauth.ts';
import { startProtectedMcpServer, type ProtectedMcpServer } from '../support/oauth-server.ts';
import { playBrowser, REDIRECT_URI, testSecretStore } from './helpers.ts';

const running: ProtectedMcpServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function setUp(issParameter: boolean, issOverride?: string | null) {
  const upstream = await startProtectedMcpServer({ authServerOptions: { issParameter } });
  running.push(upstream);
  upstream.authServer.issOverride = issOverride;
  const secrets = testSecretStore();
  const oauth = new UpstreamOAuth({ secrets, redirectUri: REDIRECT_URI, requestTimeoutMs: 5000 });
  const { authorizationUrl } = await oauth.startAuthorization({ name: 'todo', url: upstream.mcpUrl });
  const callback = await playBrowser(authorizationUrl);
  return { upstream, secrets, oauth, callback };
}

describe('the iss of an authorization response (RFC 9207)', () => {
  it('is accepted when it names the issuer the server advertised it would name', async () => {
    const { upstream, secrets, oauth, callback } = await setUp(true);
    expect(callback.iss).toBe(upstream.authServer.issuer);
    expect(await oauth.completeAuthorization(callback)).toEqual({ server: 'todo' });
    expect(await secrets.get('oauth/todo/tokens')).toBeDefined();
  });

  it('may be absent when the authorization server does not advertise it', async () => {
    const { oauth, callback } = await setUp(false);
    expect(callback.iss).toBeUndefined();
    expect(await oauth.completeAuthorization(callback)).toEqual({ server: 'todo' });
  });

  it.each([
    ['missing although advertised', true, null, 'does not name its issuer (`iss`), which its authorization server promises to'],
    ['another server', true, 'https://evil.example.com', 'names another issuer than'],
    ['the issuer with a trailing slash (no normalization)', true, 'TRAILING_SLASH', 'names another issuer than'],
    ['another server, not advertised', false, 'https://evil.example.com', 'names another issuer than'],
  ])('is refused when it is %s, and the code is never redeemed', async (_what, issParameter, iss, reason) => {
    const { upstream, secrets, oauth, callback } = await setUp(issParameter);
    const sent = iss === 'TRAILING_SLASH' ? `${upstream.authServer.issuer}/` : (iss ?? undefined);
    const refusal = oauth.completeAuthorization({ ...callback, iss: sent });
    await expect(refusal).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining(reason) });
    // What a mix-up attacker's server claims is not repeated to the user.
    await expect(refusal).rejects.not.toThrow('evil.example.com');
    await expect(refusal).rejects.toThrow('run `canopy authorize todo` to try again');
    expect(upstream.authServer.counters.codeExchanges).toBe(0);
    expect(await secrets.get('oauth/todo/tokens')).toBeUndefined();
  });

  it('is checked before an error response is believed', async () => {
    const { oauth, callback } = await setUp(true);
    await expect(
      oauth.completeAuthorization({ state: callback.state, iss: 'https://evil.example.com', error: 'access_denied', error_description: 'call 555-0100' }),
    ).rejects.toThrow('names another issuer than');
  });
});
