import { z } from 'zod';
import { IPC } from '../../../preload/ipc-channels.ts';
import { invokeHandler } from './invoke-handler.ts';
import type { IpcDeps } from './deps.ts';

export function connectionHandlers({ controller, appOrigin }: IpcDeps) {
  return {
    [IPC.connection]: invokeHandler({ appOrigin, args: z.tuple([]), run: () => controller.connection() }),
  };
}
