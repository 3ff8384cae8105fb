// OAuth access tokens on MCP endpoints: RFC 9068 JWTs (`typ: at+jwt`) signed by the issuer's keys
// and bound to the exact resource URL of the endpoint called (RFC 8707). Canopy's own authorization
// server hands its public keys over directly; an external one's are read from the JWKS its metadata
// names (jose fetches them again when a token names a key it has not seen: key rotation).
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { discoverAuthorizationServerMetadata } from '@modelcontextprotocol/client';

/** Who issues the tokens an endpoint accepts, and which of their claims names the Canopy user. */
export interface TokenIssuer {
  issuer: string;
  keys: JWTVerifyGetKey;
  /** Default `sub` (Canopy's own tokens carry the user name there); absent from a token: `sub`. */
  userClaim?: string;
  /**
   * Also accept access tokens typed `JWT` or untyped, as Keycloak, Entra ID and Okta issue them (an
   * external issuer). Safe because the audience must still be this endpoint's exact URL, which an ID
   * token's never is. Canopy's own tokens are always `at+jwt`.
   */
  lenientType?: boolean;
}

/** The `typ` headers a lenient issuer's access tokens may carry (compared case-insensitively). */
const LENIENT_TYPES = new Set([undefined, 'jwt', 'at+jwt', 'application/at+jwt']);

/** Asymmetric algorithms only: a token signed with a shared secret, or not at all, is never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/** How long discovering an external authorization server's metadata may take. */
const DISCOVERY_TIMEOUT_MS = 5_000;

/** A verified token's facts: the user it acts for and the OAuth client it was issued to. */
export type VerifiedToken = AuthInfo & { extra: { user: string; issuedAt: number } };

function refusal(error: unknown, issuer: string, resource: string): OAuthError {
  if (error instanceof errors.JWTExpired) return new OAuthError(OAuthErrorCode.InvalidToken, 'the access token expired: get a new one');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new OAuthError(OAuthErrorCode.InvalidToken, `the access token was issued for another resource: this endpoint takes tokens for ${resource}`);
    if (error.claim === 'iss') return new OAuthError(OAuthErrorCode.InvalidToken, `the access token was not issued by ${issuer}`);
    if (error.claim === 'typ') return new OAuthError(OAuthErrorCode.InvalidToken, 'the token is not an OAuth access token (its type must be at+jwt)');
    return new OAuthError(OAuthErrorCode.InvalidToken, `the access token is not valid: ${error.message}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new OAuthError(OAuthErrorCode.InvalidToken, `the access token is not signed by ${issuer}`);
  }
  // The keys could not be read (the authorization server is down, its JWKS is broken): not the token's fault.
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !(error instanceof errors.JOSEError)) {
    return new OAuthError(OAuthErrorCode.ServerError, `the keys of ${issuer} could not be read: ${(error as Error).message}`);
  }
  return new OAuthError(OAuthErrorCode.InvalidToken, `the access token is not valid: ${error.message}`);
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** RFC 9068's `scope` string; Entra ID and Okta say `scp` (a string, or a list). */
function scopesOf(payload: JWTPayload): string[] {
  const scp = payload.scp;
  const listed = stringClaim(payload, 'scope') ?? (Array.isArray(scp) ? scp.filter((item): item is string => typeof item === 'string').join(' ') : typeof scp === 'string' ? scp : '');
  return listed.split(' ').filter(Boolean);
}

/** Tokens verified lately, so a client's every call does not check the same signature again. */
const VERIFIED_CACHE_SIZE = 1_024;

export class AccessTokenVerifier {
  /** Keyed by resource and token: a token is only ever good for the resource it was verified for. */
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(private readonly source: TokenIssuer) {}

  get issuer(): string {
    return this.source.issuer;
  }

  /** A verifier for the SDK's verifyBearerToken that accepts tokens for `resource` (the endpoint's exact URL) only. */
  forResource(resource: string): OAuthTokenVerifier {
    return { verifyAccessToken: (token) => this.verify(token, resource) };
  }

  /**
   * Verifies a token for `resource`; throws OAuthError (invalid_token, or server_error when the keys
   * cannot be read). A token verified before is taken from memory until it expires (whether its user
   * may still act is the caller's check, made on every request).
   */
  async verify(token: string, resource: string): Promise<VerifiedToken> {
    const key = `${resource} ${token}`;
    const known = this.verified.get(key);
    if (known && known.expiresAt! * 1000 > Date.now()) return known;
    this.verified.delete(key);
    const verified = await this.verifyAfresh(token, resource);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(key, verified);
    return verified;
  }

  private async verifyAfresh(token: string, resource: string): Promise<VerifiedToken> {
    const { issuer, keys, userClaim = 'sub', lenientType = false } = this.source;
    let payload: JWTPayload;
    let typ: string | undefined;
    try {
      ({ payload, protectedHeader: { typ } } = await jwtVerify(token, keys, {
        issuer,
        audience: resource,
        ...(lenientType ? {} : { typ: 'at+jwt' }),
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'iat', 'sub'],
      }));
    } catch (error) {
      throw refusal(error, issuer, resource);
    }
    if (lenientType && !LENIENT_TYPES.has(typ?.toLowerCase())) {
      throw new OAuthError(OAuthErrorCode.InvalidToken, `the token is not an OAuth access token (its type is ${typ})`);
    }
    // RFC 9068 names the client `client_id`; some servers only say `azp` (OIDC's authorized party).
    const clientId = stringClaim(payload, 'client_id') ?? stringClaim(payload, 'azp');
    if (!clientId) throw new OAuthError(OAuthErrorCode.InvalidToken, 'the access token names no client (client_id)');
    const user = stringClaim(payload, userClaim) ?? payload.sub!;
    return {
      token,
      clientId,
      scopes: scopesOf(payload),
      expiresAt: payload.exp,
      resource: new URL(resource),
      extra: { user, issuedAt: payload.iat! },
    };
  }
}

/**
 * The signing keys of an external authorization server: its metadata (RFC 8414, else OIDC discovery;
 * the `issuer` it states must be `issuer`) names its JWKS. Looked up at the first token, and again
 * after a failure, so Canopy starts while the server is down.
 */
export function discoveredKeys(issuer: string): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const load = async (): Promise<JWTVerifyGetKey> => {
    const metadata = await discoverAuthorizationServerMetadata(issuer, {
      fetchFn: (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) }),
    });
    if (!metadata) throw new Error(`${issuer} publishes no authorization server metadata (.well-known/oauth-authorization-server or openid-configuration)`);
    const jwksUri = metadata.jwks_uri;
    if (typeof jwksUri !== 'string') throw new Error(`the metadata of ${issuer} names no jwks_uri: Canopy verifies JWT access tokens with the server's public keys`);
    return createRemoteJWKSet(new URL(jwksUri));
  };
  return async (header, token) => {
    keys ??= load().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return (await keys)(header, token);
  };
}
