// Electron glue: the tray icon and its menu, rebuilt whenever the gateway or the preferences
// change (events, never polling).
import { join } from 'node:path';
import { nativeImage, nativeTheme, Tray } from 'electron';
import type { DesktopPlatform } from '../../core/connect-apps/paths.ts';
import type { GatewayHost } from '../gateway/gateway-host.ts';
import type { PreferencesService } from '../preferences/preferences-service.ts';
import { AttentionNotices, type AttentionNotice } from './attention-notices.ts';
import { coalesced } from './coalesced-refresh.ts';
import { electronMenu } from './electron-menu.ts';
import { trayIconFile } from './icons.ts';
import { needsAttention, trayTooltip, type TrayServer } from './labels.ts';
import { buildTrayMenu, type TrayAction } from './menu-model.ts';

export interface CanopyTrayDeps {
  platform: DesktopPlatform;
  assetsDir: string;
  host: GatewayHost;
  preferences: PreferencesService;
  dispatch: (action: TrayAction) => void;
  /** Raises an OS notification (once per problem, see attention-notices.ts). */
  notify: (notice: AttentionNotice) => void;
  /** Left click (Windows): open the window. */
  onClick: () => void;
  logError: (error: unknown) => void;
}

export class CanopyTray {
  private readonly tray: Tray;
  private readonly pending = new Set<string>();
  private readonly notices = new AttentionNotices();
  readonly refresh: () => void;

  constructor(private readonly deps: CanopyTrayDeps) {
    this.tray = new Tray(this.icon(false));
    if (deps.platform === 'win32') this.tray.on('click', deps.onClick);
    this.refresh = coalesced(() => this.rebuild(), deps.logError);
    deps.host.on('changed', this.refresh);
    deps.preferences.on('changed', this.refresh);
    nativeTheme.on('updated', this.refresh);
    this.refresh();
  }

  private icon(attention: boolean) {
    const file = trayIconFile(this.deps.platform, { darkPanel: nativeTheme.shouldUseDarkColors, attention });
    const image = nativeImage.createFromPath(join(this.deps.assetsDir, file));
    if (this.deps.platform === 'darwin') image.setTemplateImage(true);
    return image;
  }

  /** While a toggle is in flight its checkbox is disabled. */
  async whilePending<T>(name: string, work: () => Promise<T>): Promise<T> {
    this.pending.add(name);
    this.refresh();
    try {
      return await work();
    } finally {
      this.pending.delete(name);
      // Also undoes Electron's own flip of the checkbox when the toggle failed.
      this.refresh();
    }
  }

  private async rebuild(): Promise<void> {
    const gateway = this.deps.host.gateway;
    const servers: TrayServer[] = gateway ? await gateway.views.listServers() : [];
    const phase = this.deps.host.phase;
    const items = buildTrayMenu({ gateway: phase, servers, startAtLogin: this.deps.preferences.value.startAtLogin, pending: this.pending });
    this.tray.setContextMenu(electronMenu(items, this.deps.dispatch));
    this.tray.setImage(this.icon(servers.some(needsAttention)));
    this.tray.setToolTip(trayTooltip(phase, servers));
    for (const notice of this.notices.next(servers)) this.deps.notify(notice);
  }

  destroy(): void {
    this.deps.host.off('changed', this.refresh);
    this.deps.preferences.off('changed', this.refresh);
    nativeTheme.off('updated', this.refresh);
    this.tray.destroy();
  }
}
