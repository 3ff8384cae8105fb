import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DatabaseSecretStore } from '../../main/core/secrets/database-secret-store.ts';
import { freshStoreEachTest, storeKinds } from '../support/databases.ts';

const base64Key = randomBytes(32).toString('base64');
const passphrase = 'correct horse battery staple, long enough';

describe.each(storeKinds)('DatabaseSecretStore on $kind', ({ fresh }) => {
  const t = freshStoreEachTest(fresh);

  it('sets, gets, overwrites and deletes', async () => {
    const secrets = await DatabaseSecretStore.open(t.store.db, base64Key);
    expect(await secrets.get('a')).toBeUndefined();
    await secrets.set('a', 'one');
    await secrets.set('b', 'two');
    expect(await secrets.get('a')).toBe('one');
    await secrets.set('a', 'uno');
    expect(await secrets.get('a')).toBe('uno');
    await secrets.delete('a');
    await secrets.delete('never-set');
    expect(await secrets.get('a')).toBeUndefined();
    expect(await secrets.get('b')).toBe('two');
  });

  it('stores only ciphertext, a fresh IV per value, and the key fingerprint', async () => {
    const secrets = await DatabaseSecretStore.open(t.store.db, base64Key);
    await secrets.set('a', 'same value');
    await secrets.set('b', 'same value');
    const rows = await t.store.db.selectFrom('secrets').selectAll().orderBy('ref').execute();
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain('same value');
    expect(rows[0].iv).not.toBe(rows[1].iv);
    expect(rows[0].ciphertext).not.toBe(rows[1].ciphertext);
    expect(Buffer.from(rows[0].iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(rows[0].tag, 'base64')).toHaveLength(16);
    expect(rows[0].key_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('accepts a hex key and a passphrase (one salt per database)', async () => {
    const hex = await DatabaseSecretStore.open(t.store.db, randomBytes(32).toString('hex'));
    await hex.set('h', 'hex');
    expect(await hex.get('h')).toBe('hex');
    await t.store.db.deleteFrom('secrets').execute();

    const first = await DatabaseSecretStore.open(t.store.db, passphrase);
    await first.set('p', 'from a passphrase');
    const salt = await t.store.settings.get('secrets.kdf_salt');
    expect(salt).toBeDefined();
    const second = await DatabaseSecretStore.open(t.store.db, passphrase);
    expect(await second.get('p')).toBe('from a passphrase');
    expect(await t.store.settings.get('secrets.kdf_salt')).toBe(salt);
  });

  it('names a wrong key, at open and at read', async () => {
    const secrets = await DatabaseSecretStore.open(t.store.db, base64Key);
    await secrets.set('a', 'one');
    const wrong = randomBytes(32).toString('base64');
    await expect(DatabaseSecretStore.open(t.store.db, wrong)).rejects.toThrow('CANOPY_SECRET_KEY does not match the key these secrets were written with');
    await expect(DatabaseSecretStore.open(t.store.db, 'a different passphrase of at least 32 chars')).rejects.toThrow(
      'CANOPY_SECRET_KEY does not match',
    );
    // A replica that opened before another wrote with a different key.
    await t.store.db.deleteFrom('secrets').execute();
    const other = await DatabaseSecretStore.open(t.store.db, wrong);
    await secrets.set('a', 'one');
    await expect(other.get('a')).rejects.toThrow('CANOPY_SECRET_KEY does not match the key these secrets were written with');
  });

  it('refuses a missing or weak key and says how to make one', async () => {
    await expect(DatabaseSecretStore.open(t.store.db, undefined)).rejects.toThrow(/CANOPY_SECRET_KEY is not set.*openssl rand -base64 32/);
    await expect(DatabaseSecretStore.open(t.store.db, 'short passphrase')).rejects.toThrow(/at least 32 characters.*openssl rand -base64 32/);
  });

  it('detects tampering and values moved between refs', async () => {
    const secrets = await DatabaseSecretStore.open(t.store.db, base64Key);
    await secrets.set('a', 'one');
    await secrets.set('b', 'two');
    const b = await t.store.db.selectFrom('secrets').selectAll().where('ref', '=', 'b').executeTakeFirstOrThrow();
    await t.store.db.updateTable('secrets').set({ ciphertext: b.ciphertext, iv: b.iv, tag: b.tag }).where('ref', '=', 'a').execute();
    await expect(secrets.get('a')).rejects.toThrow(/secret 'a' in the database failed its integrity check/);

    const flipped = Buffer.from(b.ciphertext, 'base64');
    flipped[0] ^= 1;
    await t.store.db.updateTable('secrets').set({ ciphertext: flipped.toString('base64') }).where('ref', '=', 'b').execute();
    await expect(secrets.get('b')).rejects.toThrow(/integrity check/);
  });
});
