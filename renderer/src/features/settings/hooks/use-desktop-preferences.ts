// The desktop app's preferences (port, start at login); undefined in the browser.
import type { CanopyBridge, PreferencesPatch } from '../../../lib/desktop-bridge.ts';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';

export function useDesktopPreferences(bridge: CanopyBridge) {
  const preferences = useResource(() => bridge.preferences.get(), [bridge]);
  const save = useAction(async (patch: PreferencesPatch) => {
    await bridge.preferences.set(patch);
    await preferences.reload();
  });
  return { preferences, save };
}
