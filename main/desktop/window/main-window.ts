// Electron glue: the one window. It shows the gateway's web UI; closing it hides it (Canopy stays
// in the tray) until the app really quits.
import { app, BrowserWindow, screen } from 'electron';
import type { DesktopPlatform } from '../../core/connect-apps/paths.ts';
import type { PreferencesService } from '../preferences/preferences-service.ts';
import { restoreBounds } from './bounds.ts';
import { secureWebPreferences } from './security.ts';

export interface MainWindowDeps {
  platform: DesktopPlatform;
  preloadPath: string;
  preferences: PreferencesService;
  /** The gateway's base URL while it runs. */
  gatewayUrl: () => string | undefined;
}

export class MainWindow {
  private window: BrowserWindow | undefined;
  private quitting = false;
  private loadedBase: string | undefined;

  constructor(private readonly deps: MainWindowDeps) {}

  /** Opens (or focuses) the window, at a route of the web UI when given (e.g. /settings). */
  show(route?: string): void {
    const base = this.deps.gatewayUrl();
    if (!base) return;
    const window = this.window ?? this.create();
    if (route || this.loadedBase !== base) {
      this.loadedBase = base;
      void window.loadURL(`${base}/${route ? `#${route}` : ''}`);
    }
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    if (this.deps.platform === 'darwin') void app.dock?.show();
  }

  /** After the gateway moved (new port), an open window follows it. */
  followGateway(): void {
    if (this.window?.isVisible() && this.deps.gatewayUrl() !== this.loadedBase) this.show();
  }

  /** From now on closing the window really closes it. */
  allowClose(): void {
    this.quitting = true;
  }

  private create(): BrowserWindow {
    const bounds = restoreBounds(
      this.deps.preferences.value.windowBounds,
      screen.getAllDisplays().map((display) => display.workArea),
    );
    const window = new BrowserWindow({
      ...bounds,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'Canopy',
      webPreferences: secureWebPreferences(this.deps.preloadPath),
    });
    if (bounds.maximized) window.maximize();
    window.on('close', (event) => {
      this.deps.preferences.setWindowBounds({ ...window.getNormalBounds(), maximized: window.isMaximized() });
      if (this.quitting) return;
      event.preventDefault();
      window.hide();
      if (this.deps.platform === 'darwin') app.dock?.hide();
    });
    window.on('closed', () => {
      this.window = undefined;
      this.loadedBase = undefined;
    });
    this.window = window;
    return window;
  }
}
