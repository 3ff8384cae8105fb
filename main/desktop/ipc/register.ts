// Electron glue: binds each handler to ipcMain with the calling frame's URL.
import { ipcMain } from 'electron';
import type { IpcChannel } from '../../../preload/ipc-channels.ts';
import type { InvokeHandler } from './invoke-handler.ts';

export function registerIpcHandlers(handlers: Record<IpcChannel, InvokeHandler>): void {
  for (const [channel, handler] of Object.entries(handlers)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => handler(event.senderFrame?.url, args));
  }
}
