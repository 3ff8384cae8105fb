// Preferences: defaults, validation, repair of bad files, and no secret ever stored.
import { describe, expect, it } from 'vitest';
import { applyPatch, DEFAULT_PREFERENCES, loadPreferences, preferencesView, type Preferences } from '../../main/desktop/preferences/schema.ts';
import { PreferencesService, type PreferencesBacking } from '../../main/desktop/preferences/preferences-service.ts';
import type { PasswordVault } from '../../main/desktop/storage/password-vault.ts';
import { hasPassword, passwordAccount, splitPostgresUrl, withPassword } from '../../main/desktop/storage/postgres-url.ts';

/** The keychain as a map (the real one needs a D-Bus session this suite does not start). */
function memoryVault(failing = false): PasswordVault & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account),
    set: async (account, password) => {
      if (failing) throw new Error('no keychain');
      entries.set(account, password);
    },
    delete: async (account) => void entries.delete(account),
  };
}

function memoryBacking(initial: unknown): PreferencesBacking & { stored: unknown; writes: number } {
  const backing = {
    stored: initial,
    writes: 0,
    read: () => backing.stored,
    write: (preferences: Preferences) => {
      backing.stored = JSON.parse(JSON.stringify(preferences));
      backing.writes++;
    },
  };
  return backing;
}

describe('preferences schema', () => {
  it('defaults: port 7450, SQLite, system theme, no start at login', () => {
    expect(DEFAULT_PREFERENCES).toEqual({ version: 1, port: 7450, startAtLogin: false, theme: 'system', storage: { kind: 'sqlite' } });
    for (const stored of [undefined, null, {}, [], 'junk', 42]) {
      const loaded = loadPreferences(stored);
      expect(loaded.preferences).toEqual(DEFAULT_PREFERENCES);
      expect(loaded.repaired).toEqual([]);
    }
  });

  it('keeps valid fields and resets each invalid one on its own', () => {
    const loaded = loadPreferences({
      port: 80,
      theme: 'dark',
      startAtLogin: 'yes',
      storage: { kind: 'mysql' },
      windowBounds: { x: 10, y: 20, width: 900, height: 700 },
      somethingOld: true,
    });
    expect(loaded.preferences).toEqual({
      ...DEFAULT_PREFERENCES,
      theme: 'dark',
      windowBounds: { x: 10, y: 20, width: 900, height: 700 },
    });
    expect(loaded.repaired.sort()).toEqual(['port', 'startAtLogin', 'storage']);
    expect(loaded.needsWrite).toBe(true);
    expect(loadPreferences(loaded.preferences).needsWrite).toBe(false);
  });

  it('takes a password out of a stored PostgreSQL URL', () => {
    const loaded = loadPreferences({ storage: { kind: 'postgres', url: 'postgres://canopy:s3cr%40t@db.example:5433/canopy' } });
    expect(loaded.preferences.storage).toEqual({ kind: 'postgres', url: 'postgres://canopy@db.example:5433/canopy' });
    expect(loaded.passwordToMove).toEqual({ account: 'postgres:canopy@db.example:5433/canopy', password: 's3cr@t' });
    expect(JSON.stringify(loaded.preferences)).not.toContain('s3cr');
  });

  it('validates patches from the window', () => {
    const next = applyPatch(DEFAULT_PREFERENCES, { port: 8123, theme: 'light', startAtLogin: true });
    expect(preferencesView(next)).toEqual({ port: 8123, theme: 'light', startAtLogin: true, storage: { kind: 'sqlite' } });
    expect(() => applyPatch(DEFAULT_PREFERENCES, { port: 99 })).toThrow(/invalid preferences: port/);
    expect(() => applyPatch(DEFAULT_PREFERENCES, { theme: 'purple' })).toThrow(/theme/);
    // Storage only changes through the storage switch, never through a patch.
    expect(() => applyPatch(DEFAULT_PREFERENCES, { storage: { kind: 'postgres', url: 'postgres://x:pw@h/db' } })).toThrow(/invalid preferences/);
  });
});

describe('PreferencesService', () => {
  it('moves a stray password into the keychain and rewrites the file without it', async () => {
    const backing = memoryBacking({ port: 7451, storage: { kind: 'postgres', url: 'postgres://u:pw@h:5432/d' } });
    const vault = memoryVault();
    const warnings: string[] = [];
    const service = await PreferencesService.open(backing, vault, (message) => warnings.push(message));
    expect(service.value.storage).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/d' });
    expect(vault.entries.get('postgres:u@h:5432/d')).toBe('pw');
    expect(JSON.stringify(backing.stored)).not.toContain('pw@');
    expect(warnings).toEqual([]);
  });

  it('removes the password from the file even when the keychain is unavailable, and says so', async () => {
    const backing = memoryBacking({ storage: { kind: 'postgres', url: 'postgres://u:pw@h/d' } });
    const warnings: string[] = [];
    await PreferencesService.open(backing, memoryVault(true), (message) => warnings.push(message));
    expect(JSON.stringify(backing.stored)).not.toContain(':pw@');
    expect(warnings.join('\n')).toMatch(/could not keep it in the keychain: no keychain/);
  });

  it('saves patches, emits changes, refuses invalid input without writing', async () => {
    const backing = memoryBacking(undefined);
    const service = await PreferencesService.open(backing, memoryVault(), () => {});
    const seen: Preferences[] = [];
    service.on('changed', (value) => seen.push(value));
    const writes = backing.writes;
    service.patch({ theme: 'dark' });
    expect(seen.map((value) => value.theme)).toEqual(['dark']);
    expect(backing.stored).toMatchObject({ theme: 'dark' });
    expect(() => service.patch({ port: 'x' })).toThrow();
    expect(backing.writes).toBe(writes + 1);
    expect(() => service.setStorage({ kind: 'postgres', url: 'postgres://u:secret@h/d' })).toThrow(/must not contain a password/);
  });
});

describe('PostgreSQL URLs', () => {
  it('splits, rejoins and names the keychain account without the password', () => {
    expect(splitPostgresUrl('postgresql://a:b%2Fc@host/db?sslmode=require')).toEqual({ url: 'postgresql://a@host/db?sslmode=require', password: 'b/c' });
    expect(withPassword('postgres://a@host/db', 'p/w')).toBe('postgres://a:p%2Fw@host/db');
    expect(passwordAccount('postgres://a:zzz@host/db')).toBe('postgres:a@host:5432/db');
    expect(hasPassword('postgres://a@host/db')).toBe(false);
    expect(() => splitPostgresUrl('mysql://x@y/z')).toThrow(/must start with postgres/);
    expect(() => splitPostgresUrl('not a url')).toThrow(/not a URL/);
  });
});
