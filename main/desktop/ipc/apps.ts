import { z } from 'zod';
import { APP_IDS } from '../../core/connect-apps/apps.ts';
import { IPC } from '../../../preload/ipc-channels.ts';
import { invokeHandler } from './invoke-handler.ts';
import type { IpcDeps } from './deps.ts';

export function appHandlers({ appOrigin, connectApp }: IpcDeps) {
  return {
    [IPC.connectApp]: invokeHandler({
      appOrigin,
      args: z.tuple([z.enum(APP_IDS), z.object({ dryRun: z.boolean().optional(), search: z.boolean().optional() }).strict()]),
      run: (app, options) => connectApp(app, options),
    }),
  };
}
