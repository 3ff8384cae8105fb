// Switching storage: what the request means (which store, which password), and what to tell the
// user afterwards. The switch itself is GatewayHost.replace (stop → start on new → back on failure).
import type { StorageChoice } from '../../../preload/canopy-bridge.ts';
import type { ReplaceOutcome } from '../gateway/gateway-host.ts';
import { describeChoice, sameChoice } from '../gateway/store-location.ts';
import { passwordAccount, splitPostgresUrl } from './postgres-url.ts';

export type StorageRequest = { kind: 'sqlite' } | { kind: 'postgres'; url: string; password?: string };

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
  if (sameChoice(current, to) && !password) {
    return { action: 'none', message: `Canopy already keeps its data on ${describeChoice(current)}.` };
  }
  return {
    action: 'switch',
    from: current,
    to,
    ...(password ? { newPassword: { account, password } } : { savedPasswordAccount: account }),
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
