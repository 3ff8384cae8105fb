// Where the desktop app finds its own files, packaged or run from the repository.
import { join } from 'node:path';

export interface AppLocation {
  isPackaged: boolean;
  /** app.getAppPath() */
  appPath: string;
  /** process.resourcesPath */
  resourcesPath: string;
}

/** Tray images ship as extraResources (outside the asar, where the OS can read them). */
export function assetsDir({ isPackaged, appPath, resourcesPath }: AppLocation): string {
  return isPackaged ? join(resourcesPath, 'assets') : join(appPath, 'assets');
}

export function preloadPath({ appPath }: AppLocation): string {
  return join(appPath, 'dist', 'desktop', 'preload.cjs');
}

/** The built web UI the gateway serves at `/`. */
export function rendererDir({ appPath }: AppLocation): string {
  return join(appPath, 'dist', 'renderer');
}
