// The PostgreSQL password lives in the OS keychain (keytar, service "canopy"), never in
// preferences. Not the gateway's SecretStore: that store is opened by the gateway, on the very
// database this password unlocks, and for PostgreSQL it keeps secrets inside that database.
const KEYCHAIN_SERVICE = 'canopy';

export interface PasswordVault {
  get(account: string): Promise<string | undefined>;
  set(account: string, password: string): Promise<void>;
  delete(account: string): Promise<void>;
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

class KeychainUnavailableError extends Error {
  override name = 'KeychainUnavailableError';
}

/** keytar is an optional native module: load it on first use and say clearly when it is missing. */
export function keychainVault(load: () => Promise<Keytar> = async () => (await import('keytar')).default): PasswordVault {
  let keytar: Promise<Keytar> | undefined;
  const get = () =>
    (keytar ??= load().catch((error: Error) => {
      keytar = undefined;
      throw new KeychainUnavailableError(
        `the OS keychain is not available (${error.message}), so the PostgreSQL password cannot be saved: ` +
          'use a database that does not need one, or set DATABASE_URL and run `canopy serve` instead',
      );
    }));
  return {
    get: async (account) => (await (await get()).getPassword(KEYCHAIN_SERVICE, account)) ?? undefined,
    set: async (account, password) => (await get()).setPassword(KEYCHAIN_SERVICE, account, password),
    delete: async (account) => {
      await (await get()).deletePassword(KEYCHAIN_SERVICE, account);
    },
  };
}
