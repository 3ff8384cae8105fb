// The login at the company's OIDC provider, with openid-client: discovery at CANOPY_SSO_ISSUER,
// authorization code with PKCE, state and nonce, ID token checked (issuer, audience, nonce, and
// `iss` in the response when the IdP says it sends one). Canopy is a confidential client when
// CANOPY_SSO_CLIENT_SECRET is set, else a public one. Its redirect URI is `<public URL>/sign-in/callback`.
import * as oidc from 'openid-client';
import type { SignInSettings, SsoSettings } from '../config/sign-in-settings.ts';
import { isLoopbackHostname } from '../config/loopback.ts';
import { groupsOf, type LoginClaims } from './sso-users.ts';
import type { Logger } from '../telemetry/logger.ts';

export const CALLBACK_PATH = '/sign-in/callback';
const IDP_TIMEOUT_SECONDS = 10;

/** What a login needs to remember between the redirect to the IdP and its callback. */
export interface PendingLogin {
  codeVerifier: string;
  nonce: string;
}

export interface CompletedLogin {
  claims: LoginClaims;
  groups: string[];
}

export class CompanyLogin {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly signIn: SignInSettings & { sso: SsoSettings },
    private readonly logger: Logger,
  ) {}

  get redirectUri(): string {
    return `${this.signIn.publicUrl}${CALLBACK_PATH}`;
  }

  /** The IdP's configuration, discovered once (again after a failure). */
  private discover(): Promise<oidc.Configuration> {
    const { sso } = this.signIn;
    const issuer = new URL(sso.issuer);
    // Plain http is only ever allowed for an IdP on this machine (tests, development).
    const insecure = issuer.protocol === 'http:' && isLoopbackHostname(issuer.hostname);
    this.configuration ??= oidc
      .discovery(issuer, sso.clientId, { redirect_uris: [this.redirectUri], response_types: ['code'] }, sso.clientSecret ? oidc.ClientSecretBasic(sso.clientSecret) : oidc.None(), {
        timeout: IDP_TIMEOUT_SECONDS,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw new Error(`the company sign-in (${sso.issuer}) could not be reached: ${(error as Error).message}`);
      });
    return this.configuration;
  }

  /** The URL to send the browser to, and what to keep until it comes back with `state`. */
  async start(state: string): Promise<{ url: string; pending: PendingLogin }> {
    const configuration = await this.discover();
    const pending = { codeVerifier: oidc.randomPKCECodeVerifier(), nonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid profile email',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Redeems the callback (`query` as received) for the person's claims and groups; throws when anything does not check out. */
  async complete(query: URLSearchParams, state: string, pending: PendingLogin): Promise<CompletedLogin> {
    const configuration = await this.discover();
    const tokens = await oidc.authorizationCodeGrant(configuration, new URL(`${this.redirectUri}?${query}`), {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    let claims = { ...tokens.claims()! } as LoginClaims;
    const { groupsClaim, issuer } = this.signIn.sso;
    // Some IdPs put profile claims and groups only in userinfo (Google, Okta's org server).
    if ((claims[groupsClaim] === undefined || claims.email === undefined) && configuration.serverMetadata().userinfo_endpoint) {
      const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      claims = { ...userinfo, ...claims, [groupsClaim]: claims[groupsClaim] ?? userinfo[groupsClaim] };
    }
    if (claims[groupsClaim] === undefined && (claims._claim_names as Record<string, unknown> | undefined)?.[groupsClaim]) {
      this.logger.warn({ issuer, claim: groupsClaim }, 'the IdP left the groups out of the token (too many groups: Entra ID "overage"); no admin role comes from groups for this login');
    }
    return { claims, groups: groupsOf(claims, groupsClaim) };
  }
}
