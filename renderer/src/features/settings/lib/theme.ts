// Theme preference: light, dark, or follow the system. The stylesheet reads `data-theme` on <html>
// ("system" defers to prefers-color-scheme).
export const THEME_PREFERENCES = ['light', 'dark', 'system'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

const STORAGE_KEY = 'canopy.theme';

function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (THEME_PREFERENCES as readonly string[]).includes(value);
}

export function readStoredTheme(storage: Pick<Storage, 'getItem'>): ThemePreference {
  const stored = storage.getItem(STORAGE_KEY);
  return isThemePreference(stored) ? stored : 'system';
}

export function storeTheme(storage: Pick<Storage, 'setItem'>, theme: ThemePreference): void {
  storage.setItem(STORAGE_KEY, theme);
}

export function applyTheme(root: HTMLElement, theme: ThemePreference): void {
  root.dataset.theme = theme;
}
