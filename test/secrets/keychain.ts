// Keychain tests need a reachable Secret Service (run them under scripts/with-keyring.sh). Elsewhere
// they are skipped, and say why.
import { isKeychainReachable } from '../../main/core/secrets/keychain-secret-store.ts';

const keychain = await isKeychainReachable();

export const noKeychain = !keychain.reachable;

if (!keychain.reachable) {
  console.warn(`keychain tests skipped: no OS keychain reachable (${keychain.reason}); run them under scripts/with-keyring.sh`);
}
