import { z } from 'zod';
import { IPC } from '../../../preload/ipc-channels.ts';
import { invokeHandler } from './invoke-handler.ts';
import type { IpcDeps } from './deps.ts';

const postgresRequest = z.object({ url: z.string().min(1).max(4096), password: z.string().max(4096).optional() }).strict();
const storageRequest = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite') }).strict(),
  postgresRequest.extend({ kind: z.literal('postgres'), secretKey: z.string().max(4096).optional() }).strict(),
]);

export function storageHandlers({ controller, appOrigin }: IpcDeps) {
  return {
    [IPC.testPostgres]: invokeHandler({
      appOrigin,
      args: z.tuple([postgresRequest]),
      run: (request) => controller.testPostgres(request.url, request.password),
    }),
    [IPC.switchStorage]: invokeHandler({ appOrigin, args: z.tuple([storageRequest]), run: (request) => controller.switchStorage(request) }),
  };
}
