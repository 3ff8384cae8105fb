// The fallback when no OS keychain is reachable: secrets in an encrypted JSON file in the data dir,
// its key in a separate 0600 file beside it (both in a 0700 directory). Better than plaintext, but
// anyone who can read the user's files can read both, which is why choosing it is never silent.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAtomic, writeFileAtomic } from './atomic-file.ts';
import { KEY_BYTES, keyFingerprint, openSecret, sealSecret, type SealedSecret } from './secret-cipher.ts';
import { SecretStoreError, type SecretStore, type SecretStoreStatus } from './secret-store.ts';

/** The file's JSON: each value sealed on its own (the ref bound as additional data). */
interface SecretsFile {
  version: 1;
  /** Fingerprint of the key in the key file, so a replaced key file is named as the problem. */
  key_id: string;
  secrets: Record<string, SealedSecret>;
}

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  readonly dir: string;
  readonly path: string;
  readonly keyPath: string;
  private key: Promise<Buffer> | undefined;
  // Writes are read-modify-write of one file: one at a time within this process.
  private writes: Promise<unknown> = Promise.resolve();

  /** Keeps its files in `<dataDir>/secrets/`. `warning` is shown by describe() (set when this is a fallback). */
  constructor(
    dataDir: string,
    private readonly warning?: string,
  ) {
    this.dir = join(dataDir, 'secrets');
    this.path = FileSecretStore.pathIn(dataDir);
    this.keyPath = join(this.dir, 'secrets.key');
  }

  /** The secrets file of a store on `dataDir`. */
  static pathIn(dataDir: string): string {
    return join(dataDir, 'secrets', 'secrets.json');
  }

  describe(): SecretStoreStatus {
    return {
      kind: this.kind,
      description: `an encrypted file at ${this.path} (key in ${this.keyPath})`,
      ...(this.warning ? { warning: this.warning } : {}),
    };
  }

  async get(ref: string): Promise<string | undefined> {
    const sealed = (await this.read())?.secrets[ref];
    return sealed && openSecret(await this.loadKey(), ref, sealed, this.path);
  }

  async set(ref: string, value: string): Promise<void> {
    const key = await this.loadKey();
    await this.update((secrets) => {
      secrets[ref] = sealSecret(key, ref, value);
    });
  }

  async delete(ref: string): Promise<void> {
    await this.update((secrets) => {
      delete secrets[ref];
    });
  }

  /** Every stored secret (none, and no files made, when nothing was ever stored). */
  async entries(): Promise<{ ref: string; value: string }[]> {
    const file = await this.read();
    if (!file) return [];
    const key = await this.loadKey();
    return Object.entries(file.secrets).map(([ref, sealed]) => ({ ref, value: openSecret(key, ref, sealed, this.path) }));
  }

  private update(change: (secrets: Record<string, SealedSecret>) => void): Promise<void> {
    const next = this.writes.then(async () => {
      const file = (await this.read()) ?? { version: 1, key_id: keyFingerprint(await this.loadKey()), secrets: {} };
      change(file.secrets);
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, PRIVATE_FILE);
    });
    this.writes = next.catch(() => {});
    return next;
  }

  /** The secrets file, checked against the key file; undefined when there is none yet. */
  private async read(): Promise<SecretsFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    let file: SecretsFile;
    try {
      file = JSON.parse(text) as SecretsFile;
    } catch {
      throw new SecretStoreError(`${this.path} is not valid JSON: restore it from a backup, or delete it and register the servers again`);
    }
    if (file.key_id !== keyFingerprint(await this.loadKey())) {
      throw new SecretStoreError(
        `the key in ${this.keyPath} is not the one ${this.path} was written with: restore the key file, or delete both files and register the servers again`,
      );
    }
    return file;
  }

  private loadKey(): Promise<Buffer> {
    if (!this.key) {
      this.key = this.readOrCreateKey();
      // A failure (e.g. a missing key file that gets restored) is not remembered: the next call tries again.
      this.key.catch(() => (this.key = undefined));
    }
    return this.key;
  }

  private async readOrCreateKey(): Promise<Buffer> {
    await mkdir(this.dir, { recursive: true, mode: PRIVATE_DIR });
    await chmod(this.dir, PRIVATE_DIR);
    try {
      return await this.readKey();
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    if (await exists(this.path)) {
      throw new SecretStoreError(`the key file ${this.keyPath} is missing, so the secrets in ${this.path} cannot be read: restore it, or delete ${this.path} and register the servers again`);
    }
    try {
      await createFileAtomic(this.keyPath, `${randomBytes(KEY_BYTES).toString('base64')}\n`, PRIVATE_FILE);
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return this.readKey();
  }

  private async readKey(): Promise<Buffer> {
    const key = Buffer.from((await readFile(this.keyPath, 'utf8')).trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new SecretStoreError(`${this.keyPath} does not hold a ${KEY_BYTES}-byte key: restore it from a backup`);
    return key;
  }
}
