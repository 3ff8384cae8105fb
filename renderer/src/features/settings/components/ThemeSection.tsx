import type { ThemeControls } from '../hooks/use-theme.ts';
import { THEME_PREFERENCES, type ThemePreference } from '../lib/theme.ts';

const LABELS: Record<ThemePreference, string> = { light: 'Light', dark: 'Dark', system: 'Same as the system' };

export function ThemeSection({ theme, setTheme }: ThemeControls) {
  return (
    <section className="card" aria-label="Appearance">
      <h2>Appearance</h2>
      <fieldset className="radio-group">
        <legend>Theme</legend>
        {THEME_PREFERENCES.map((choice) => (
          <label key={choice} className="inline">
            <input type="radio" name="theme" value={choice} checked={theme === choice} onChange={() => setTheme(choice)} />
            {LABELS[choice]}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
