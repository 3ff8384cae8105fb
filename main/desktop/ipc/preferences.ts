import { z } from 'zod';
import { IPC } from '../../../preload/ipc-channels.ts';
import { invokeHandler } from './invoke-handler.ts';
import type { IpcDeps } from './deps.ts';

export function preferencesHandlers({ controller, appOrigin }: IpcDeps) {
  return {
    [IPC.getPreferences]: invokeHandler({ appOrigin, args: z.tuple([]), run: () => controller.preferences() }),
    // The patch itself is validated by the preferences schema (one place for the rules).
    [IPC.setPreferences]: invokeHandler({ appOrigin, args: z.tuple([z.unknown()]), run: (patch) => controller.updatePreferences(patch) }),
  };
}
