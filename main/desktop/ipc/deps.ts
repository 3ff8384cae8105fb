// What the IPC handlers act on.
import type { AppId } from '../../core/connect-apps/apps.ts';
import type { ConnectAppRequest, ConnectAppView } from '../../../preload/canopy-bridge.ts';
import type { DesktopController } from '../desktop-controller.ts';

export interface IpcDeps {
  controller: DesktopController;
  /** The gateway's origin; only its pages may call. */
  appOrigin: () => string | undefined;
  connectApp: (app: AppId, options: ConnectAppRequest) => Promise<ConnectAppView>;
  openExternal: (url: string) => Promise<void>;
}
