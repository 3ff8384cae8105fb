// Opens a URL in the system browser (desktop app) or a new tab (web UI).
import { desktopBridge } from './desktop-bridge.ts';

export async function openExternal(url: string): Promise<void> {
  const bridge = desktopBridge();
  if (bridge) return bridge.openExternal(url);
  window.open(url, '_blank', 'noopener,noreferrer');
}
