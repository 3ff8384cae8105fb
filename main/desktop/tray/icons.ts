// Which tray image fits the platform and the menu bar / panel colour. macOS uses template images
// (black + alpha, tinted by the system; the @2x file beside it is picked up automatically).
import type { DesktopPlatform } from '../../core/connect-apps/paths.ts';

export interface TrayIconState {
  /** The panel is dark (Windows / Linux; macOS tints template images itself). */
  darkPanel: boolean;
  /** Some server needs the user: the icon carries a dot. */
  attention: boolean;
}

export function trayIconFile(platform: DesktopPlatform, { darkPanel, attention }: TrayIconState): string {
  const variant = attention ? '-attention' : '';
  if (platform === 'darwin') return `tray${variant}Template.png`;
  if (platform === 'win32') return `tray${variant}.ico`;
  return `tray${variant}-${darkPanel ? 'dark' : 'light'}.png`;
}

/** Every file trayIconFile can name (the packaging and asset tests check they exist). */
export function allTrayIconFiles(): string[] {
  const files = new Set<string>();
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    for (const darkPanel of [false, true]) {
      for (const attention of [false, true]) files.add(trayIconFile(platform, { darkPanel, attention }));
    }
  }
  return [...files].sort();
}
