// AES-256-GCM for one secret value: a random 96-bit IV per value, the auth tag kept beside the
// ciphertext, and the secret's ref bound as additional data, so a value copied onto another ref
// (or altered) fails to decrypt instead of being read as the wrong secret.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SecretStoreError } from './secret-store.ts';

export const KEY_BYTES = 32;

/** One encrypted value; every part base64. */
export interface SealedSecret {
  iv: string;
  tag: string;
  ciphertext: string;
}

export function sealSecret(key: Buffer, ref: string, value: string): SealedSecret {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(ref, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

/** `where` names the backend for the error ("the database", "/path/secrets.json"). */
export function openSecret(key: Buffer, ref: string, sealed: SealedSecret, where: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(ref, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretStoreError(`secret '${ref}' in ${where} failed its integrity check: it was altered or copied from another entry; register the server again`);
  }
}

/** A fingerprint that tells keys apart without revealing them (an HMAC of a constant). */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('canopy secret key id').digest('hex').slice(0, 16);
}
