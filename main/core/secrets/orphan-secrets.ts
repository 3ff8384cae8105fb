// Secrets and the rows that refer to them live in different places (keychain, file, database), so
// no transaction spans both. Instead every ref that may end up unreferenced is noted in the store's
// secret_cleanup table first: a new secret before it is written (cleared when its row commits), a
// replaced or removed one in the transaction that drops it. A crash at any point (kill -9 between
// writing a secret and committing its row) leaves a note, and the next start deletes whatever noted
// secret no row refers to. Only noted refs are touched: the keychain's `canopy` service may hold
// other stores' secrets too.
import type { Repositories, Store } from '../store/open.ts';
import { secretRefs, type SecretValue } from './secret-fields.ts';
import type { SecretStore } from './secret-store.ts';

/** Notes the refs (committed), then writes the secrets. The caller's transaction clears the notes with `committed`. */
export async function writeNewSecrets(store: Store, secrets: SecretStore, values: SecretValue[]): Promise<void> {
  await store.secretCleanup.add(values.map((value) => value.ref));
  for (const value of values) await secrets.set(value.ref, value.value);
}

/** In the transaction that commits the rows: the new refs are referenced now; the dropped ones may not be. */
export async function secretsCommitted(tx: Repositories, written: SecretValue[], dropped: string[]): Promise<void> {
  await tx.secretCleanup.remove(written.map((value) => value.ref));
  await tx.secretCleanup.add(dropped);
}

/** Deletes secrets that are no longer referenced, and their notes; returns the refs it could not delete. */
export async function deleteUnreferencedSecrets(store: Store, secrets: SecretStore, refs: string[]): Promise<{ ref: string; reason: string }[]> {
  const failed: { ref: string; reason: string }[] = [];
  const deleted: string[] = [];
  for (const ref of refs) {
    try {
      await secrets.delete(ref);
      deleted.push(ref);
    } catch (error) {
      failed.push({ ref, reason: (error as Error).message });
    }
  }
  await store.secretCleanup.remove(deleted);
  return failed;
}

/**
 * At start: deletes every noted secret no server row refers to. `settledMs`: notes younger than this
 * are left alone (another replica on the same database may be registering right now).
 */
export async function collectOrphanSecrets(store: Store, secrets: SecretStore, settledMs: number): Promise<{ deleted: number; failed: { ref: string; reason: string }[] }> {
  const noted = await store.secretCleanup.listNotedBefore(new Date(Date.now() - settledMs).toISOString());
  if (noted.length === 0) return { deleted: 0, failed: [] };
  const referenced = new Set((await store.servers.list()).flatMap((record) => secretRefs(record.config)));
  await store.secretCleanup.remove(noted.filter((ref) => referenced.has(ref)));
  const orphans = noted.filter((ref) => !referenced.has(ref));
  const failed = await deleteUnreferencedSecrets(store, secrets, orphans);
  return { deleted: orphans.length - failed.length, failed };
}
