// The optional `window.canopy` bridge the desktop app's preload exposes (its type lives with the
// preload). In a plain browser it is absent and every desktop-only feature says so.
import type { CanopyBridge } from '../../../preload/canopy-bridge.ts';

export type { CanopyBridge, DesktopPreferences, OperationResult, PreferencesPatch } from '../../../preload/canopy-bridge.ts';

/** Where the renderer reaches the admin API: '' = same origin (the web UI). */
export interface GatewayConnection {
  baseUrl: string;
  token?: string;
}

export function desktopBridge(): CanopyBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.canopy;
}
