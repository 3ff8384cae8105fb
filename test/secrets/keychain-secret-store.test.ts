import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, KeychainSecretStore } from '../../main/core/secrets/keychain-secret-store.ts';
import { noKeychain } from './keychain.ts';

describe('KeychainSecretStore (real Secret Service)', () => {
  const ref = (name: string) => `test/${randomBytes(6).toString('hex')}/${name}`;

  it.skipIf(noKeychain)('sets, gets, overwrites and deletes', async () => {
    const store = new KeychainSecretStore();
    const a = ref('a');
    expect(await store.get(a)).toBeUndefined();
    await store.set(a, 'one');
    expect(await store.get(a)).toBe('one');
    await store.set(a, 'uno');
    expect(await store.get(a)).toBe('uno');
    await store.delete(a);
    expect(await store.get(a)).toBeUndefined();
    await store.delete(a);
  });

  it.skipIf(noKeychain)(`keeps secrets under service '${KEYCHAIN_SERVICE}', account = ref`, async () => {
    const store = new KeychainSecretStore();
    const a = ref('bearer_token');
    await store.set(a, 'token with ünïcode and spaces');
    const keytar = ((await import('keytar')) as { default: typeof import('keytar') }).default;
    expect(await keytar.getPassword('canopy', a)).toBe('token with ünïcode and spaces');
    await store.delete(a);
    expect(await keytar.getPassword('canopy', a)).toBeNull();
  });

  it('describes itself', () => {
    expect(new KeychainSecretStore().describe()).toEqual({ kind: 'keychain', description: 'the OS keychain (service canopy)' });
  });
});
