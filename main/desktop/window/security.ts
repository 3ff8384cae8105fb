// The window's security rules, as data and predicates: web preferences, CSP, what a navigation
// or a new-window request does, which pages may call the desktop bridge, which permissions pass.
import type { WebPreferences } from 'electron';

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    sandbox: true,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/**
 * Scripts only from the gateway itself; styles may be inline (React style attributes); API calls
 * only to the gateway. Applied as a response header to everything the window loads.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
  ].join('; ');
}

export type NavigationDecision = 'allow' | 'open-external' | 'block';

const EXTERNAL_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Same origin as the gateway: stay in the window. Web and mail links: system browser. Else: nothing. */
export function navigationDecision(targetUrl: string, appOrigin: string): NavigationDecision {
  const target = parse(targetUrl);
  if (!target) return 'block';
  if (target.origin === appOrigin) return 'allow';
  return EXTERNAL_PROTOCOLS.has(target.protocol) ? 'open-external' : 'block';
}

/** Only URLs the system may open for us (the `openExternal` bridge call and external links). */
export function isExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && EXTERNAL_PROTOCOLS.has(parsed.protocol);
}

/** Only the gateway's own pages may use the desktop bridge. */
export function isTrustedSender(senderUrl: string | undefined, appOrigin: string | undefined): boolean {
  if (!senderUrl || !appOrigin) return false;
  return parse(senderUrl)?.origin === appOrigin;
}

/** Permissions the web UI may have: writing to the clipboard (copy buttons). Everything else is denied. */
export function permissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}
