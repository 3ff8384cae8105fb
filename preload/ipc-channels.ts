// IPC channel names and the envelope every handler answers with, shared by preload and main.
export const IPC = {
  connection: 'canopy:connection',
  openExternal: 'canopy:open-external',
  connectApp: 'canopy:connect-app',
  getPreferences: 'canopy:preferences:get',
  setPreferences: 'canopy:preferences:set',
  testPostgres: 'canopy:storage:test-postgres',
  switchStorage: 'canopy:storage:switch',
} as const;

export type IpcChannel = (typeof IPC)[keyof typeof IPC];

/** Errors travel as data: Electron would otherwise wrap the message in "Error invoking remote method…". */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; message: string };
