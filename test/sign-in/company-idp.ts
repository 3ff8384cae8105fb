// The company's OIDC provider for the sign-in tests: a second oidc-provider on loopback with its
// development login and consent pages (any login name, any password). Canopy is registered as a
// confidential client; accounts are their login names, with an email and a `groups` claim
// (`alice` is in canopy-admins, everyone else in staff).
import { createServer, type RequestListener, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { freePort } from '../support/upstreams.ts';

export const IDP_CLIENT = { clientId: 'canopy', clientSecret: 'canopy-at-the-company-idp' };

/** The part of oidc-provider's API this uses (Canopy's declaration covers its own use only). */
type ProviderClass = new (issuer: string, configuration: object) => { callback(): RequestListener };

export interface CompanyIdp {
  issuer: string;
  close(): Promise<void>;
}

export async function startCompanyIdp(canopyCallback: string): Promise<CompanyIdp> {
  const issuer = `http://127.0.0.1:${await freePort()}`;
  const { default: Provider } = (await import('oidc-provider')) as unknown as { default: ProviderClass };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'company', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: ['company-idp-test'] },
    clients: [{ client_id: IDP_CLIENT.clientId, client_secret: IDP_CLIENT.clientSecret, redirect_uris: [canopyCallback], grant_types: ['authorization_code'], response_types: ['code'] }],
    claims: { openid: ['sub'], profile: ['preferred_username', 'groups'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, preferred_username: sub, email: `${sub}@corp.example`, email_verified: true, groups: sub === 'alice' ? ['canopy-admins', 'staff'] : ['staff'] }),
    }),
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(Number(new URL(issuer).port), '127.0.0.1', resolve));
  return {
    issuer,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
