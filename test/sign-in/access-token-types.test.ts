// The token types the verifier takes: Canopy's own issuer only RFC 9068 `at+jwt`; an external issuer
// (lenient) also `JWT` or none, as Keycloak, Entra ID and Okta type their access tokens. And what it
// remembers of a verified token: only for the same resource, only until it expires.
import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AccessTokenVerifier } from '../../main/core/access/access-tokens.ts';

const ISSUER = 'https://canopy.example.com';
const RESOURCE = `${ISSUER}/mcp`;

describe('access token types', () => {
  it('are at+jwt only for a strict issuer, and JWT or untyped too for a lenient one', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' }] });
    const sign = (typ: string | undefined) =>
      new SignJWT({ client_id: 'claude', scope: 'mcp' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k', ...(typ ? { typ } : {}) })
        .setIssuer(ISSUER)
        .setSubject('alice')
        .setAudience(RESOURCE)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    const strict = new AccessTokenVerifier({ issuer: ISSUER, keys });
    const lenient = new AccessTokenVerifier({ issuer: ISSUER, keys, lenientType: true });

    await expect(strict.verify(await sign('at+jwt'), RESOURCE)).resolves.toMatchObject({ clientId: 'claude', scopes: ['mcp'], extra: { user: 'alice' } });
    for (const typ of ['JWT', undefined]) {
      await expect(strict.verify(await sign(typ), RESOURCE)).rejects.toThrow('at+jwt');
      await expect(lenient.verify(await sign(typ), RESOURCE)).resolves.toMatchObject({ extra: { user: 'alice' } });
    }
    await expect(lenient.verify(await sign('logout+jwt'), RESOURCE)).rejects.toThrow('not an OAuth access token');
  });

  it('remember a verified token for its own resource only, and only until it expires', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const verifier = new AccessTokenVerifier({ issuer: ISSUER, keys: createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' }] }) });
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ client_id: 'claude', scope: 'mcp' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setSubject('alice')
      .setAudience(RESOURCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 2)
      .sign(privateKey);
    await expect(verifier.verify(token, RESOURCE)).resolves.toMatchObject({ extra: { user: 'alice' } });
    await expect(verifier.verify(token, `${ISSUER}/servers/github/mcp`)).rejects.toThrow('issued for another resource');
    await expect(verifier.verify(token, RESOURCE)).resolves.toMatchObject({ extra: { user: 'alice' } });
    await new Promise((resolve) => setTimeout(resolve, (now + 2) * 1000 - Date.now() + 50));
    await expect(verifier.verify(token, RESOURCE)).rejects.toThrow('expired');
  });
});
