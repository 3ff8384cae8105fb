// Preferences in memory, persisted through a backing (electron-store in the app, a plain object in
// tests). Loading repairs bad fields and moves a stray PostgreSQL password into the keychain.
import { EventEmitter } from 'node:events';
import type { PasswordVault } from '../storage/password-vault.ts';
import { applyPatch, loadPreferences, preferencesSchema, type Preferences, type WindowBounds } from './schema.ts';
import type { StorageChoice } from '../../../preload/canopy-bridge.ts';

export interface PreferencesBacking {
  read(): unknown;
  write(preferences: Preferences): void;
}

export class PreferencesService extends EventEmitter<{ changed: [Preferences] }> {
  private current: Preferences;

  private constructor(
    private readonly backing: PreferencesBacking,
    loaded: Preferences,
  ) {
    super();
    this.current = loaded;
  }

  /** `warn` hears about repaired fields and a password that could not be moved to the keychain. */
  static async open(backing: PreferencesBacking, vault: PasswordVault, warn: (message: string) => void): Promise<PreferencesService> {
    const loaded = loadPreferences(backing.read());
    if (loaded.repaired.length > 0) warn(`preferences: reset invalid ${loaded.repaired.join(', ')} to defaults`);
    if (loaded.passwordToMove) {
      // The URL is rewritten without it either way: a password never stays in the preferences file.
      await vault.set(loaded.passwordToMove.account, loaded.passwordToMove.password).catch((error: Error) => {
        warn(`preferences: removed a PostgreSQL password from the preferences file but could not keep it in the keychain: ${error.message}`);
      });
    }
    if (loaded.needsWrite) backing.write(loaded.preferences);
    return new PreferencesService(backing, loaded.preferences);
  }

  get value(): Preferences {
    return this.current;
  }

  private save(next: Preferences): Preferences {
    this.current = preferencesSchema.parse(next);
    this.backing.write(this.current);
    this.emit('changed', this.current);
    return this.current;
  }

  /** A change from the window (port, theme, start at login); throws on invalid input. */
  patch(patch: unknown): Preferences {
    return this.save(applyPatch(this.current, patch));
  }

  setStorage(storage: StorageChoice): Preferences {
    return this.save({ ...this.current, storage });
  }

  setWindowBounds(windowBounds: WindowBounds): void {
    this.current = preferencesSchema.parse({ ...this.current, windowBounds });
    this.backing.write(this.current);
  }
}
