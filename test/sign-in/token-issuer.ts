// A token issuer on loopback for resource-server tests: it publishes authorization server metadata
// (RFC 8414) naming its JWKS, and signs RFC 9068 access tokens with a real ES256 key pair (jose),
// so Canopy discovers and verifies them as it would an external authorization server's. Tests sign
// with a key it does not publish, for a token whose signature must fail.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface TokenClaims extends JWTPayload {
  sub: string;
  aud: string;
  client_id?: string;
  scope?: string;
}

export interface SignOptions {
  /** Default 5 minutes; negative: already expired. */
  expiresInSeconds?: number;
  /** Default `at+jwt`. */
  typ?: string;
  /** Sign with a key the issuer does not publish (same key id): the signature cannot verify. */
  foreignKey?: boolean;
  /** Default the issuer's own URL. */
  issuer?: string;
}

export interface TokenIssuer {
  url: string;
  sign(claims: TokenClaims, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

const KID = 'test-key';

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const own = await generateKeyPair('ES256');
  const foreign = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(own.publicKey)), kid: KID, alg: 'ES256', use: 'sig' };
  let url = '';
  const http = createServer((req, res) => {
    const path = new URL(req.url ?? '/', url).pathname;
    const documents: Record<string, object> = {
      '/.well-known/oauth-authorization-server': {
        issuer: url,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
      },
      '/jwks': { keys: [jwk] },
    };
    const document = documents[path];
    res.writeHead(document ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(document ?? { error: 'not_found' }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    async sign(claims, options = {}) {
      const key: CryptoKey = options.foreignKey ? foreign.privateKey : own.privateKey;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ client_id: 'test-client', scope: 'mcp', ...claims })
        .setProtectedHeader({ alg: 'ES256', typ: options.typ ?? 'at+jwt', kid: KID })
        .setIssuer(options.issuer ?? url)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresInSeconds ?? 300))
        .setJti(crypto.randomUUID())
        .sign(key);
    },
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
