// Runs in the sandboxed window before the page: exposes `window.canopy` and nothing else.
// No Node, no logic: each call is one IPC round trip whose errors become ordinary rejections.
import { contextBridge, ipcRenderer } from 'electron';
import type { CanopyBridge } from './canopy-bridge.ts';
import { IPC, type IpcChannel, type IpcResult } from './ipc-channels.ts';

async function invoke<T>(channel: IpcChannel, ...args: unknown[]): Promise<T> {
  const result = (await ipcRenderer.invoke(channel, ...args)) as IpcResult<T>;
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

const platform = process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';

const bridge = {
  platform,
  connection: () => invoke(IPC.connection),
  openExternal: (url) => invoke(IPC.openExternal, url),
  connectApp: (app, options) => invoke(IPC.connectApp, app, options ?? {}),
  preferences: {
    get: () => invoke(IPC.getPreferences),
    set: (patch) => invoke(IPC.setPreferences, patch),
  },
  storage: {
    testPostgres: (request) => invoke(IPC.testPostgres, request),
    switch: (request) => invoke(IPC.switchStorage, request),
  },
} satisfies CanopyBridge;

contextBridge.exposeInMainWorld('canopy', bridge);
