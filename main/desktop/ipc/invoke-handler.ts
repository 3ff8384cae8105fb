// Every IPC handler: only the gateway's own page may call, arguments are validated, and errors
// come back as a message (IpcResult) instead of a rejected invoke.
import type { z } from 'zod';
import type { IpcResult } from '../../../preload/ipc-channels.ts';
import { isTrustedSender } from '../window/security.ts';
import { parseOrThrow } from '../../core/config/server-config.ts';

export interface InvokeHandlerOptions<Args extends unknown[], T> {
  /** The gateway's origin now (it changes with the port); undefined while it is not running. */
  appOrigin: () => string | undefined;
  args: z.ZodType<Args>;
  run: (...args: Args) => Promise<T> | T;
}

export type InvokeHandler = (senderUrl: string | undefined, args: unknown[]) => Promise<IpcResult<unknown>>;

export function invokeHandler<Args extends unknown[], T>({ appOrigin, args, run }: InvokeHandlerOptions<Args, T>): InvokeHandler {
  return async (senderUrl, raw) => {
    if (!isTrustedSender(senderUrl, appOrigin())) return { ok: false, message: 'this page may not use the Canopy desktop bridge' };
    let parsed: Args;
    try {
      parsed = parseOrThrow(args, raw, 'request');
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
    try {
      return { ok: true, value: await run(...parsed) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };
}
