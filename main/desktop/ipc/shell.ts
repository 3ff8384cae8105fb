import { z } from 'zod';
import { IPC } from '../../../preload/ipc-channels.ts';
import { isExternalUrl } from '../window/security.ts';
import { invokeHandler } from './invoke-handler.ts';
import type { IpcDeps } from './deps.ts';

const externalUrl = z.string().max(8192).refine(isExternalUrl, 'only http(s) and mailto links open outside Canopy');

export function shellHandlers({ appOrigin, openExternal }: IpcDeps) {
  return {
    [IPC.openExternal]: invokeHandler({ appOrigin, args: z.tuple([externalUrl]), run: (url) => openExternal(url) }),
  };
}
