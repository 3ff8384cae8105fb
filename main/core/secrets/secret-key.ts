// CANOPY_SECRET_KEY: the key of the encrypted-in-database backend. Either 32 random bytes (base64 or
// hex), or a passphrase of at least 32 characters stretched with scrypt.
import { scrypt } from 'node:crypto';
import { KEY_BYTES } from './secret-cipher.ts';
import { SecretStoreError } from './secret-store.ts';

export type SecretKeySetting = { kind: 'key'; key: Buffer } | { kind: 'passphrase'; passphrase: string };

const MIN_PASSPHRASE_LENGTH = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters plus one '=' (padding optional; base64url accepted too).
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;
const HOW_TO_MAKE = 'make one with `openssl rand -base64 32` and set the same value on every Canopy that shares this database';

export function parseSecretKeySetting(value: string | undefined): SecretKeySetting {
  const text = value?.trim() ?? '';
  if (text === '') throw new SecretStoreError(`CANOPY_SECRET_KEY is not set: secrets in the database are encrypted with it; ${HOW_TO_MAKE}`);
  if (HEX_KEY.test(text)) return { kind: 'key', key: Buffer.from(text, 'hex') };
  if (BASE64_KEY.test(text)) return { kind: 'key', key: Buffer.from(text, 'base64') };
  if (text.length >= MIN_PASSPHRASE_LENGTH) return { kind: 'passphrase', passphrase: text };
  throw new SecretStoreError(
    `CANOPY_SECRET_KEY must be 32 random bytes in base64 or hex, or a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters; ${HOW_TO_MAKE}`,
  );
}

// scrypt cost 2^15 (≈32 MiB, ≈0.1 s): paid once per start, not per secret.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export function deriveKeyFromPassphrase(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, SCRYPT, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
