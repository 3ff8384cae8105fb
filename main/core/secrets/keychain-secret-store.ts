// Secrets in the OS keychain through keytar (macOS Keychain, Windows Credential Manager, the Secret
// Service on Linux): service `canopy`, account = the secret's ref. The default for a local store.
import { randomBytes } from 'node:crypto';
import { SecretStoreError, type SecretStore, type SecretStoreStatus } from './secret-store.ts';

export const KEYCHAIN_SERVICE = 'canopy';

/** The part of keytar Canopy uses. */
interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

let keytar: Promise<Keytar> | undefined;

// keytar is an optional dependency (a native module): loaded on first use, so an install where it
// could not build still runs. The specifier is a variable so TypeScript does not require it either.
function loadKeytar(): Promise<Keytar> {
  const specifier = 'keytar';
  keytar ??= import(specifier).then(
    (module: { default?: Keytar } & Keytar) => module.default ?? module,
    (error: Error) => {
      throw new SecretStoreError(`the keytar module is not available (it may not have built on install): ${error.message}`);
    },
  );
  return keytar;
}

export type KeychainProbe = { reachable: true } | { reachable: false; reason: string };

const KEYCHAIN_PROBE_TIMEOUT_MS = 3000;

/**
 * Whether the OS keychain works here: stores, reads back and deletes a canary. Bounded by a timeout,
 * since a Secret Service call can hang on a D-Bus session that never answers.
 */
export async function isKeychainReachable(timeoutMs = KEYCHAIN_PROBE_TIMEOUT_MS): Promise<KeychainProbe> {
  const roundTrip = async (): Promise<KeychainProbe> => {
    const keychain = await loadKeytar();
    const account = `canopy-probe/${randomBytes(8).toString('hex')}`;
    const canary = randomBytes(16).toString('hex');
    await keychain.setPassword(KEYCHAIN_SERVICE, account, canary);
    try {
      const read = await keychain.getPassword(KEYCHAIN_SERVICE, account);
      return read === canary ? { reachable: true } : { reachable: false, reason: 'the keychain did not return the value it was given' };
    } finally {
      await keychain.deletePassword(KEYCHAIN_SERVICE, account);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<KeychainProbe>((resolve) => {
    timer = setTimeout(() => resolve({ reachable: false, reason: `no answer within ${timeoutMs / 1000} s` }), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([roundTrip().catch((error: Error) => ({ reachable: false as const, reason: error.message })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain';

  /** `warning` is shown by describe() (e.g. when other replicas of a shared database cannot read it). */
  constructor(private readonly warning?: string) {}

  describe(): SecretStoreStatus {
    return {
      kind: this.kind,
      description: `the OS keychain (service ${KEYCHAIN_SERVICE})`,
      ...(this.warning ? { warning: this.warning } : {}),
    };
  }

  async get(ref: string): Promise<string | undefined> {
    const value = await this.call('read', ref, (keychain) => keychain.getPassword(KEYCHAIN_SERVICE, ref));
    return value ?? undefined;
  }

  async set(ref: string, value: string): Promise<void> {
    await this.call('store', ref, (keychain) => keychain.setPassword(KEYCHAIN_SERVICE, ref, value));
  }

  async delete(ref: string): Promise<void> {
    await this.call('delete', ref, (keychain) => keychain.deletePassword(KEYCHAIN_SERVICE, ref));
  }

  private async call<T>(action: string, ref: string, work: (keychain: Keytar) => Promise<T>): Promise<T> {
    const keychain = await loadKeytar();
    try {
      return await work(keychain);
    } catch (error) {
      throw new SecretStoreError(`the OS keychain could not ${action} secret '${ref}': ${(error as Error).message} (is the keychain unlocked?)`);
    }
  }
}
