// Electron glue: applies window/security.ts to every web contents and to the default session.
import { app, session, shell, type WebContents } from 'electron';
import { contentSecurityPolicy, navigationDecision, permissionAllowed } from './security.ts';

function guardNavigation(contents: WebContents, appOrigin: () => string | undefined): void {
  const decide = (url: string) => {
    const origin = appOrigin();
    return origin ? navigationDecision(url, origin) : 'block';
  };
  contents.setWindowOpenHandler(({ url }) => {
    if (decide(url) !== 'block') void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    const decision = decide(url);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') void shell.openExternal(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenApp(appOrigin: () => string | undefined): void {
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, appOrigin));
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionAllowed(permission)));
  defaultSession.setPermissionCheckHandler((_contents, permission) => permissionAllowed(permission));
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
}
