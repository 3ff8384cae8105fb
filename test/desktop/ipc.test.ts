// IPC: only the gateway's page may call, inputs are validated, errors come back as messages;
// every channel the preload uses has a handler.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IPC } from '../../preload/ipc-channels.ts';
import { invokeHandler } from '../../main/desktop/ipc/invoke-handler.ts';
import { ipcHandlers } from '../../main/desktop/ipc/index.ts';
import type { IpcDeps } from '../../main/desktop/ipc/deps.ts';
import type { DesktopController } from '../../main/desktop/desktop-controller.ts';

const ORIGIN = 'http://127.0.0.1:7450';
const PAGE = `${ORIGIN}/#/settings`;

describe('invokeHandler', () => {
  const handler = invokeHandler({
    appOrigin: () => ORIGIN,
    args: z.tuple([z.number().int()]),
    run: (n: number) => {
      if (n < 0) throw new Error('negative numbers are not allowed');
      return n * 2;
    },
  });

  it('answers the gateway page', async () => {
    expect(await handler(PAGE, [21])).toEqual({ ok: true, value: 42 });
  });

  it('refuses other pages and a stopped gateway', async () => {
    expect(await handler('https://evil.example/', [1])).toEqual({ ok: false, message: 'this page may not use the Canopy desktop bridge' });
    const stopped = invokeHandler({ appOrigin: () => undefined, args: z.tuple([]), run: () => 1 });
    expect((await stopped(PAGE, [])).ok).toBe(false);
  });

  it('validates arguments and turns errors into messages', async () => {
    expect(await handler(PAGE, ['x'])).toMatchObject({ ok: false, message: expect.stringMatching(/^invalid request: /) });
    expect(await handler(PAGE, [1, 2])).toMatchObject({ ok: false });
    expect(await handler(PAGE, [-1])).toEqual({ ok: false, message: 'negative numbers are not allowed' });
  });
});

describe('ipcHandlers', () => {
  const calls: unknown[][] = [];
  const controller = {
    connection: () => ({ gatewayUrl: ORIGIN, mcpUrl: `${ORIGIN}/mcp` }),
    preferences: () => ({ port: 7450 }),
    updatePreferences: async (patch: unknown) => (calls.push(['prefs', patch]), { port: 7451 }),
    testPostgres: async (url: string, password?: string) => (calls.push(['test', url, password]), { ok: true, message: 'ok' }),
    switchStorage: async (request: unknown) => (calls.push(['switch', request]), { ok: true, message: 'switched' }),
  } as unknown as DesktopController;
  const deps: IpcDeps = {
    controller,
    appOrigin: () => ORIGIN,
    connectApp: async (app, options) => (calls.push(['connect', app, options]), { app } as never),
    openExternal: async (url) => void calls.push(['open', url]),
  };
  const handlers = ipcHandlers(deps);

  it('has one handler per channel', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.values(IPC).sort());
  });

  it('routes valid calls and rejects bad ones before they reach the app', async () => {
    expect(await handlers[IPC.connection](PAGE, [])).toEqual({ ok: true, value: { gatewayUrl: ORIGIN, mcpUrl: `${ORIGIN}/mcp` } });
    expect((await handlers[IPC.openExternal](PAGE, ['https://modelcontextprotocol.io'])).ok).toBe(true);
    expect(await handlers[IPC.openExternal](PAGE, ['file:///etc/passwd'])).toMatchObject({ ok: false, message: /only http\(s\) and mailto/ });
    expect((await handlers[IPC.connectApp](PAGE, ['cursor', { dryRun: true }])).ok).toBe(true);
    expect((await handlers[IPC.connectApp](PAGE, ['notepad', {}])).ok).toBe(false);
    expect((await handlers[IPC.connectApp](PAGE, ['cursor', { search: 'yes' }])).ok).toBe(false);
    expect((await handlers[IPC.setPreferences](PAGE, [{ theme: 'dark' }])).ok).toBe(true);
    expect((await handlers[IPC.testPostgres](PAGE, [{ url: 'postgres://u@h/d', password: 'p' }])).ok).toBe(true);
    expect((await handlers[IPC.switchStorage](PAGE, [{ kind: 'sqlite' }])).ok).toBe(true);
    expect((await handlers[IPC.switchStorage](PAGE, [{ kind: 'mysql' }])).ok).toBe(false);
    expect((await handlers[IPC.switchStorage]('https://evil.example/', [{ kind: 'sqlite' }])).ok).toBe(false);
    expect(calls).toEqual([
      ['open', 'https://modelcontextprotocol.io'],
      ['connect', 'cursor', { dryRun: true }],
      ['prefs', { theme: 'dark' }],
      ['test', 'postgres://u@h/d', 'p'],
      ['switch', { kind: 'sqlite' }],
    ]);
  });
});
