// The theme preference, applied to <html>: kept by the desktop app's preferences when there is a
// bridge, in localStorage in the browser.
import { useCallback, useEffect, useState } from 'react';
import { desktopBridge } from '../../../lib/desktop-bridge.ts';
import { applyTheme, readStoredTheme, storeTheme, type ThemePreference } from '../lib/theme.ts';

export interface ThemeControls {
  theme: ThemePreference;
  setTheme: (theme: ThemePreference) => void;
}

export function useTheme(): ThemeControls {
  const [theme, setThemeState] = useState<ThemePreference>(() => readStoredTheme(localStorage));

  useEffect(() => {
    desktopBridge()
      ?.preferences.get()
      .then((preferences) => setThemeState(preferences.theme))
      .catch(() => {});
  }, []);

  useEffect(() => applyTheme(document.documentElement, theme), [theme]);

  const setTheme = useCallback((next: ThemePreference) => {
    setThemeState(next);
    const bridge = desktopBridge();
    if (bridge) void bridge.preferences.set({ theme: next });
    else storeTheme(localStorage, next);
  }, []);

  return { theme, setTheme };
}
