// Started at login, Canopy stays in the tray; started by the user, it opens its window.
export const HIDDEN_FLAG = '--hidden';

export function showWindowAtLaunch(argv: readonly string[], openedAtLogin: boolean): boolean {
  return !openedAtLogin && !argv.includes(HIDDEN_FLAG);
}
