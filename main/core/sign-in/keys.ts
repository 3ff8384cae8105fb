// The authorization server's keys: an ES256 signing key (access tokens, ID tokens) and a 256-bit key
// that seals what the server's records must keep secret (client secrets, record ids needed for
// look-ups by uid) and signs its cookies. Generated once, kept in the SecretStore (encrypted; in the
// database on PostgreSQL, so every replica signs with the same key and verifies the others' tokens).
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import type { SettingsRepository } from '../store/settings.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { SecretStoreError } from '../secrets/secret-store.ts';

export interface SignInKeys {
  /** Private ES256 JWK with `kid`, `alg` and `use`. */
  signing: JWK;
  /** 32 bytes: seals secret record fields, signs cookies. */
  sealing: Buffer;
}

/** The settings row naming the SecretStore ref of the keys; claimed once, so racing replicas agree. */
const KEYS_REF_SETTING = 'sign-in.keys-ref';

async function generateKeys(): Promise<SignInKeys> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { signing: { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'ES256', use: 'sig' }, sealing: randomBytes(32) };
}

function encode(keys: SignInKeys): string {
  return JSON.stringify({ signing: keys.signing, sealing: keys.sealing.toString('base64') });
}

async function read(secrets: SecretStore, ref: string): Promise<SignInKeys> {
  const value = await secrets.get(ref);
  if (!value) {
    throw new SecretStoreError(
      `the sign-in signing keys (${ref}) are missing from ${secrets.describe().description}: every replica needs the same secret store (CANOPY_SECRET_KEY on PostgreSQL)`,
    );
  }
  const parsed = JSON.parse(value) as { signing: JWK; sealing: string };
  return { signing: parsed.signing, sealing: Buffer.from(parsed.sealing, 'base64') };
}

/** The keys this gateway (and every replica sharing its store) signs with; generated at the first start. */
export async function loadSignInKeys(settings: SettingsRepository, secrets: SecretStore): Promise<SignInKeys> {
  const existing = await settings.get(KEYS_REF_SETTING);
  if (existing) return read(secrets, existing);
  const keys = await generateKeys();
  const ref = `sign-in/keys/${randomBytes(8).toString('hex')}`;
  await secrets.set(ref, encode(keys));
  if (await settings.claim(KEYS_REF_SETTING, ref)) return keys;
  // Another replica claimed first: use its keys.
  await secrets.delete(ref);
  return read(secrets, (await settings.get(KEYS_REF_SETTING))!);
}

/** The public half of the signing key, as a JWKS (what verifiers of Canopy's tokens load). */
export function publicJwks(keys: SignInKeys): { keys: JWK[] } {
  const { kty, crv, x, y, kid, alg, use } = keys.signing;
  return { keys: [{ kty, crv, x, y, kid, alg, use }] };
}
