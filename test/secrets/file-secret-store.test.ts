import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';

// Lets a test make the final rename fail, the moment a crash would leave only the temporary file.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename) };
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('FileSecretStore', () => {
  let dataDir: string;
  let store: FileSecretStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'canopy-file-secrets-'));
    store = new FileSecretStore(dataDir);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('sets, gets, overwrites and deletes', async () => {
    expect(await store.get('a')).toBeUndefined();
    await store.set('a', 'one');
    await store.set('b', 'two');
    expect(await store.get('a')).toBe('one');
    await store.set('a', 'uno');
    expect(await store.get('a')).toBe('uno');
    await store.delete('a');
    await store.delete('never-set');
    expect(await store.get('a')).toBeUndefined();
    expect(await new FileSecretStore(dataDir).get('b')).toBe('two');
  });

  it('keeps concurrent writes (one at a time)', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`ref-${i}`, `value-${i}`)));
    const entries = await store.entries();
    expect(entries).toHaveLength(20);
    expect(await store.get('ref-7')).toBe('value-7');
  });

  it('creates the file and the key file 0600 in a 0700 directory', async () => {
    await store.set('a', 'one');
    expect(modeOf(store.path)).toBe(0o600);
    expect(modeOf(store.keyPath)).toBe(0o600);
    expect(modeOf(store.dir)).toBe(0o700);
  });

  it('never writes a secret in plaintext', async () => {
    const secret = 'ghp_plaintextSecretValue123';
    await store.set('server/github/abc/bearer_token', secret);
    const file = readFileSync(store.path, 'utf8');
    expect(file).not.toContain(secret);
    expect(file).not.toContain(Buffer.from(secret).toString('base64'));
    expect(readFileSync(store.keyPath, 'utf8')).not.toContain(secret);
  });

  it('leaves the previous content when a write fails before its rename', async () => {
    await store.set('a', 'before');
    const before = readFileSync(store.path, 'utf8');
    vi.mocked(fsPromises.rename).mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }));
    await expect(store.set('a', 'after')).rejects.toThrow('ENOSPC');
    expect(readFileSync(store.path, 'utf8')).toBe(before);
    expect(readdirSync(store.dir).sort()).toEqual(['secrets.json', 'secrets.key']);
    expect(await new FileSecretStore(dataDir).get('a')).toBe('before');
    // The store keeps working after the failure.
    await store.set('a', 'after');
    expect(await store.get('a')).toBe('after');
  });

  it('ignores a temporary file left by a crash', async () => {
    await store.set('a', 'before');
    writeFileSync(`${store.path}.0123456789ab.tmp`, '{"version":1,"key_id":"torn', { mode: 0o600 });
    expect(await new FileSecretStore(dataDir).get('a')).toBe('before');
  });

  it('detects a tampered value', async () => {
    await store.set('a', 'one');
    await store.set('b', 'two');
    const file = JSON.parse(readFileSync(store.path, 'utf8'));
    file.secrets.a = file.secrets.b; // b's ciphertext moved onto a
    writeFileSync(store.path, JSON.stringify(file));
    await expect(store.get('a')).rejects.toThrow(/secret 'a' .* failed its integrity check/);
  });

  it('names a missing or replaced key file', async () => {
    await store.set('a', 'one');
    rmSync(store.keyPath);
    await expect(new FileSecretStore(dataDir).get('a')).rejects.toThrow(/the key file .*secrets\.key is missing/);
    writeFileSync(store.keyPath, `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o600 });
    await expect(new FileSecretStore(dataDir).get('a')).rejects.toThrow(/is not the one .* was written with/);
  });

  it('makes no files until a secret is stored', async () => {
    expect(await store.get('a')).toBeUndefined();
    expect(await store.entries()).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
