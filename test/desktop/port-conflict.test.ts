// A taken port: recognised, explained, and the user's way out actually works (real gateway).
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { PortInUseError } from '../../main/core/index.ts';
import { isPortInUseError, portChangeRefusedMessage, portConflictDialog } from '../../main/desktop/gateway/port-conflict.ts';
import { nextFreePort } from '../../main/desktop/gateway/free-port.ts';
import { startupFailureDialog } from '../../main/desktop/gateway/startup-failure.ts';
import { startGatewayInteractively, type StartGatewayDeps } from '../../main/desktop/app-events/start-gateway.ts';
import type { ChoiceDialog } from '../../main/desktop/gateway/startup-failure.ts';
import { freePort } from '../support/upstreams.ts';
import { desktopFixture, type DesktopFixture } from './support.ts';

const blockers: Server[] = [];
async function occupy(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  blockers.push(server);
}
let fixture: DesktopFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  await Promise.all(blockers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('port conflict messages', () => {
  it('recognises a taken port however it is reported', () => {
    expect(isPortInUseError(new PortInUseError(7450))).toBe(true);
    expect(isPortInUseError(Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:7450'), { code: 'EADDRINUSE' }))).toBe(true);
    expect(isPortInUseError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'EADDRINUSE' }) }))).toBe(true);
    expect(isPortInUseError(new Error('cannot open SQLite'))).toBe(false);
    expect(isPortInUseError(undefined)).toBe(false);
  });

  it('offers the next free port, Settings, or quitting', () => {
    const dialog = portConflictDialog(7450, 7451);
    expect(dialog.message).toBe('Port 7450 is already in use by another program.');
    expect(dialog.detail).toMatch(/run on port 7451 instead/);
    expect(dialog.detail).toMatch(/connected again/);
    expect(dialog.buttons).toEqual(['Use port 7451', 'Choose a port in Settings…', 'Quit']);
    expect(dialog.choices[dialog.cancelId]).toEqual({ kind: 'quit' });
    const none = portConflictDialog(7450, undefined);
    expect(none.buttons).toEqual(['Quit']);
    expect(none.detail).toMatch(/Quit the program using it/);
    expect(portChangeRefusedMessage(8000, 7450)).toBe('Port 8000 is already in use by another program; Canopy stays on port 7450. Choose another port.');
  });

  it('other start failures: PostgreSQL gets a way back to SQLite', () => {
    const pgDialog = startupFailureDialog(new Error('connection refused'), { kind: 'postgres', url: 'postgres://u@db:5432/canopy' });
    expect(pgDialog.message).toBe('Canopy could not start its gateway on PostgreSQL at db:5432/canopy.');
    expect(pgDialog.choices).toEqual([{ kind: 'use-sqlite' }, { kind: 'retry' }, { kind: 'quit' }]);
    expect(startupFailureDialog(new Error('disk full'), { kind: 'sqlite' }).buttons).toEqual(['Try again', 'Quit']);
  });

  it('finds the next free port', async () => {
    const port = await freePort();
    await occupy(port + 1);
    const next = await nextFreePort(port);
    expect(next).toBeGreaterThan(port + 1);
  });
});

describe('starting on a taken port (real gateway)', () => {
  async function run(answer: (dialog: ChoiceDialog<unknown>) => number) {
    const port = await freePort();
    await occupy(port);
    fixture = await desktopFixture({ port });
    const asked: ChoiceDialog<unknown>[] = [];
    let settingsOpened = false;
    const deps: StartGatewayDeps = {
      start: (p) => fixture!.controller.start(p),
      port: () => fixture!.preferences.value.port,
      storage: () => fixture!.preferences.value.storage,
      useSqlite: () => fixture!.preferences.setStorage({ kind: 'sqlite' }),
      nextFreePort,
      ask: async (dialog) => {
        asked.push(dialog as ChoiceDialog<unknown>);
        return answer(dialog as ChoiceDialog<unknown>);
      },
      openSettings: () => (settingsOpened = true),
    };
    const running = await startGatewayInteractively(deps);
    return { port, asked, running, settingsOpened: () => settingsOpened };
  }

  it('"Use port N" starts the gateway there', async () => {
    const { port, asked, running, settingsOpened } = await run(() => 0);
    expect(running).toBe(true);
    expect(asked[0].message).toBe(`Port ${port} is already in use by another program.`);
    const url = new URL(fixture!.host.gateway!.url);
    expect(Number(url.port)).toBeGreaterThan(port);
    expect(settingsOpened()).toBe(false);
    // The saved port is unchanged: this was a way out for now.
    expect(fixture!.preferences.value.port).toBe(port);
  });

  it('"Choose a port in Settings" starts on a free port and opens Settings', async () => {
    const { running, settingsOpened } = await run(() => 1);
    expect(running).toBe(true);
    expect(settingsOpened()).toBe(true);
  });

  it('"Quit" quits, and nothing runs', async () => {
    const { running } = await run((dialog) => dialog.cancelId);
    expect(running).toBe(false);
    expect(fixture!.host.gateway).toBeUndefined();
    expect(fixture!.host.phase.phase).toBe('failed');
  });

  it('changing the port in Settings to a taken one keeps the current port and says why', async () => {
    const port = await freePort();
    fixture = await desktopFixture({ port });
    await fixture.controller.start();
    const taken = await freePort();
    await occupy(taken);
    await expect(fixture.controller.updatePreferences({ port: taken })).rejects.toThrow(
      `Port ${taken} is already in use by another program; Canopy stays on port ${port}.`,
    );
    expect(fixture.host.gateway!.url).toBe(`http://127.0.0.1:${port}`);
    expect(fixture.preferences.value.port).toBe(port);
    const free = await freePort();
    expect((await fixture.controller.updatePreferences({ port: free })).port).toBe(free);
    expect(fixture.host.gateway!.url).toBe(`http://127.0.0.1:${free}`);
  });
});
