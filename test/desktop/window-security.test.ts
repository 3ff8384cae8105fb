// The window's security options, CSP, navigation policy, trusted senders, and bounds.
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isExternalUrl,
  isTrustedSender,
  navigationDecision,
  permissionAllowed,
  secureWebPreferences,
} from '../../main/desktop/window/security.ts';
import { DEFAULT_WINDOW_SIZE, restoreBounds } from '../../main/desktop/window/bounds.ts';

const ORIGIN = 'http://127.0.0.1:7450';

describe('window security', () => {
  it('isolates and sandboxes the renderer', () => {
    expect(secureWebPreferences('/app/dist/preload/preload.cjs')).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a strict CSP: own scripts only, no eval, no plugins, no framing', () => {
    const csp = contentSecurityPolicy();
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['default-src']).toBe("'self'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['connect-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(directives['script-src']).not.toMatch(/unsafe-inline/);
  });

  it('keeps the gateway in the window and sends web links to the system browser', () => {
    expect(navigationDecision(`${ORIGIN}/#/settings`, ORIGIN)).toBe('allow');
    expect(navigationDecision(`${ORIGIN}/api/v0/status`, ORIGIN)).toBe('allow');
    expect(navigationDecision('https://github.com/login/oauth/authorize?x=1', ORIGIN)).toBe('open-external');
    expect(navigationDecision('http://127.0.0.1:9999/', ORIGIN)).toBe('open-external');
    expect(navigationDecision('mailto:help@example.com', ORIGIN)).toBe('open-external');
    for (const blocked of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,hi', 'smb://host/share', 'not a url', 'chrome://settings']) {
      expect(navigationDecision(blocked, ORIGIN)).toBe('block');
    }
    expect(isExternalUrl('https://example.com')).toBe(true);
    expect(isExternalUrl('file:///tmp/x')).toBe(false);
  });

  it('lets only the gateway page use the bridge and grants only clipboard writes', () => {
    expect(isTrustedSender(`${ORIGIN}/index.html`, ORIGIN)).toBe(true);
    expect(isTrustedSender('http://127.0.0.1:7451/', ORIGIN)).toBe(false);
    expect(isTrustedSender('https://evil.example/', ORIGIN)).toBe(false);
    expect(isTrustedSender(undefined, ORIGIN)).toBe(false);
    expect(isTrustedSender(`${ORIGIN}/`, undefined)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) expect(permissionAllowed(permission)).toBe(false);
  });
});

describe('window bounds', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('restores bounds that are still on a screen, and forgets those that are not', () => {
    expect(restoreBounds(undefined, screens)).toEqual(DEFAULT_WINDOW_SIZE);
    expect(restoreBounds({ x: 100, y: 100, width: 900, height: 700 }, screens)).toEqual({ x: 100, y: 100, width: 900, height: 700 });
    // Left on a second monitor that is gone.
    expect(restoreBounds({ x: 2500, y: 100, width: 1400, height: 900, maximized: true }, screens)).toEqual({ width: 1100, height: 760, maximized: true });
    // Only the far edge of the title bar shows: not enough to grab.
    expect(restoreBounds({ x: 1900, y: 100, width: 800, height: 600 }, screens)).not.toHaveProperty('x');
  });
});
