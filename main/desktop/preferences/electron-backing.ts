// electron-store as the preferences file (`preferences.json` in the user data dir).
import ElectronStore from 'electron-store';
import type { PreferencesBacking } from './preferences-service.ts';

export function electronPreferencesBacking(): PreferencesBacking {
  // Validation is ours (zod, field by field); a file that is not JSON at all starts over.
  const store = new ElectronStore<Record<string, unknown>>({ name: 'preferences', clearInvalidConfig: true });
  return {
    read: () => store.store,
    write: (preferences) => {
      store.store = { ...preferences };
    },
  };
}
