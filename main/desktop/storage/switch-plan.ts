// Switching storage: what the request means (which store, which password), and what to tell the
// user afterwards. The switch itself is GatewayHost.replace (stop → start on new → back on failure).
import type { StorageChoice } from '../../../preload/canopy-bridge.ts';
import type { ReplaceOutcome } from '../gateway/gateway-host.ts';
import { describeChoice, sameChoice } from '../gateway/store-location.ts';
import { passwordAccount, secretKeyAccount, splitPostgresUrl } from './postgres-url.ts';

export type StorageRequest = { kind: 'sqlite' } | { kind: 'postgres'; url: string; password?: string; secretKey?: string };

export type StorageSwitchPlan =
  | { action: 'none'; message: string }
  | {
      action: 'switch';
      from: StorageChoice;
      to: StorageChoice;
      /** A password the user just gave: used for this attempt, kept in the keychain on success. */
      newPassword?: { account: string; password: string };
      /** Where to look for a saved password when none was given. */
      savedPasswordAccount?: string;
      /** PostgreSQL keeps upstream secrets encrypted in the database: where the key lives, and a key just given. */
      secretKey?: { account: string; given?: string };
    };

/** Throws PostgresUrlError for a URL that is not postgres://…. */
export function planStorageSwitch(current: StorageChoice, request: StorageRequest): StorageSwitchPlan {
  if (request.kind === 'sqlite') {
    return sameChoice(current, request)
      ? { action: 'none', message: `Canopy already keeps its data on ${describeChoice(current)}.` }
      : { action: 'switch', from: current, to: { kind: 'sqlite' } };
  }
  const split = splitPostgresUrl(request.url);
  const to: StorageChoice = { kind: 'postgres', url: split.url };
  const account = passwordAccount(split.url);
  const password = request.password || split.password;
  const given = request.secretKey?.trim() || undefined;
  if (sameChoice(current, to) && !password && !given) {
    return { action: 'none', message: `Canopy already keeps its data on ${describeChoice(current)}.` };
  }
  return {
    action: 'switch',
    from: current,
    to,
    ...(password ? { newPassword: { account, password } } : { savedPasswordAccount: account }),
    secretKey: { account: secretKeyAccount(split.url), ...(given ? { given } : {}) },
  };
}

export function storageSwitchMessage(plan: Extract<StorageSwitchPlan, { action: 'switch' }>, outcome: ReplaceOutcome): string {
  const target = describeChoice(plan.to);
  if (outcome.ok) return `Canopy now keeps its data on ${target}.`;
  const reason = outcome.error.message;
  if (outcome.restored) return `Could not switch to ${target}: ${reason}. Canopy is back on ${describeChoice(plan.from)}; nothing changed.`;
  return (
    `Could not switch to ${target}: ${reason}. Going back to ${describeChoice(plan.from)} failed too: ` +
    `${outcome.restoreError.message}. Choose a storage in Settings, or restart Canopy.`
  );
}

/** Said once, when the switch made the key that encrypts upstream secrets in the database. */
export function newSecretKeyNote(account: string): string {
  return (
    `Upstream secrets in this database are encrypted with a new key kept in your keychain (service "canopy", account "${account}"): ` +
    'every other Canopy on this database needs the same key (its CANOPY_SECRET_KEY, or "Secret key" here).'
  );
}
