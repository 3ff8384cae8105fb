// All IPC handlers, one file per domain, by channel.
import type { IpcChannel } from '../../../preload/ipc-channels.ts';
import type { InvokeHandler } from './invoke-handler.ts';
import type { IpcDeps } from './deps.ts';
import { connectionHandlers } from './connection.ts';
import { shellHandlers } from './shell.ts';
import { appHandlers } from './apps.ts';
import { preferencesHandlers } from './preferences.ts';
import { storageHandlers } from './storage.ts';

export function ipcHandlers(deps: IpcDeps): Record<IpcChannel, InvokeHandler> {
  return {
    ...connectionHandlers(deps),
    ...shellHandlers(deps),
    ...appHandlers(deps),
    ...preferencesHandlers(deps),
    ...storageHandlers(deps),
  };
}
