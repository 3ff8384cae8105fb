// Access tokens: 256 random bits, shown once, stored only as a SHA-256 hash. A plain (unsalted)
// hash is enough because every token is high-entropy (custom tokens must be long): nothing can be
// guessed back from a hash, and the hash doubles as the lookup key.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest } from '../errors.ts';

const TOKEN_PREFIX = 'cnp_';
/** Custom tokens (brought by the operator) must be at least this long. */
const MIN_CUSTOM_TOKEN_LENGTH = 32;

export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Refuses a custom token that is short or has whitespace. */
export function checkCustomToken(token: string): void {
  if (token.length < MIN_CUSTOM_TOKEN_LENGTH) {
    throw badRequest(`a custom token must be at least ${MIN_CUSTOM_TOKEN_LENGTH} characters long: leave it out to get a generated one`);
  }
  if (/\s/.test(token)) throw badRequest('a custom token must not contain whitespace');
}

/** The token of an `Authorization: Bearer …` header; undefined when there is none. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
