// GatewayHost on the real gateway: start, change events, bounded stop that takes upstream
// children down, replace with rollback; and the quit guard.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayOptions } from '../../main/core/index.ts';
import { stdioConfigs } from '../support/upstreams.ts';
import { eventually } from '../support/gateway.ts';
import { realHost } from './support.ts';
import { createQuitGuard } from '../../main/desktop/app-events/quit-guard.ts';
import { GatewayHost } from '../../main/desktop/gateway/gateway-host.ts';
import { toggleServer } from '../../main/desktop/tray/toggle.ts';
import { processAlive } from '../../main/core/upstream/process-group.ts';

const dirs: string[] = [];
function options(): GatewayOptions {
  const dataDir = mkdtempSync(join(tmpdir(), 'canopy-host-'));
  dirs.push(dataDir);
  return { port: 0, dataDir, store: { kind: 'sqlite', path: join(dataDir, 'canopy.db') } };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('GatewayHost', () => {
  it('relays gateway changes, toggles servers, and stops every upstream child on stop', async () => {
    const host = realHost();
    const phases: string[] = [];
    host.on('changed', () => phases.push(host.phase.phase));
    await host.start(options());
    expect(host.phase).toEqual({ phase: 'running', mcpUrl: `${host.gateway!.url}/mcp` });
    expect(phases).toEqual(['starting', 'running']);

    const { registry, views } = host.gateway!;
    const changesBefore = phases.length;
    await registry.registerServer({ config: stdioConfigs.everything('everything') });
    expect(phases.length).toBeGreaterThan(changesBefore);
    const pid = await eventually(async () => (await views.getServer('everything')).state.pid, 20_000, 'the stdio child');

    // The tray toggle: off, then on again.
    expect(await toggleServer(registry, 'everything', false)).toEqual({ ok: true });
    expect((await views.getServer('everything')).enabled).toBe(false);
    await eventually(() => !processAlive(pid), 10_000, 'the child to stop when disabled');
    expect(await toggleServer(registry, 'everything', true)).toEqual({ ok: true });
    const pid2 = await eventually(async () => (await views.getServer('everything')).state.pid, 20_000, 'the restarted child');
    const missing = await toggleServer(registry, 'nope', true);
    expect(missing.ok).toBe(false);
    expect(missing.message).toMatch(/^Could not enable nope: /);

    expect(await host.stop()).toBe('done');
    expect(host.phase).toEqual({ phase: 'stopped' });
    expect(host.gateway).toBeUndefined();
    await eventually(() => !processAlive(pid2), 10_000, 'the child to be gone after stop');
  }, 60_000);

  it('replace: moves to new options, and goes back to the previous ones when the new fail', async () => {
    const host = realHost();
    const first = options();
    await host.start(first);
    const firstUrl = host.gateway!.url;
    await host.gateway!.registry.registerServer({ config: stdioConfigs.everything('kept'), enabled: false });

    const second = options();
    expect(await host.replace(second)).toEqual({ ok: true });
    expect(host.options).toBe(second);
    expect(await host.gateway!.views.listServers()).toEqual([]);

    // A store that cannot open (its folder is a file): back on `second`.
    const notADir = join(second.dataDir, 'not-a-dir');
    writeFileSync(notADir, '');
    const broken: GatewayOptions = { ...second, store: { kind: 'sqlite', path: join(notADir, 'canopy.db') } };
    const outcome = await host.replace(broken);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok === false && outcome.restored).toBe(true);
    expect(host.options).toBe(second);
    expect(host.phase.phase).toBe('running');

    expect(await host.replace(first)).toEqual({ ok: true });
    expect((await host.gateway!.views.listServers()).map((s) => s.name)).toEqual(['kept']);
    expect(host.gateway!.url).not.toBe('');
    expect(firstUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await host.stop();
  }, 60_000);

  it('a stop that hangs is given up after the time limit', async () => {
    const hanging = new GatewayHost(
      async () =>
        ({
          url: 'http://127.0.0.1:1',
          events: { on() {}, off() {} },
          start: async () => {},
          stop: () => new Promise<void>(() => {}),
        }) as never,
      100,
    );
    await hanging.start(options());
    expect(await hanging.stop()).toBe('timed-out');
  });
});

describe('quit guard', () => {
  it('holds the first quit until the stop is done, then lets quitting through', async () => {
    let release!: () => void;
    const exits: string[] = [];
    const guard = createQuitGuard({ stop: () => new Promise<void>((resolve) => (release = resolve)), timeoutMs: 5_000, exit: (result) => exits.push(result) });
    const prevented: number[] = [];
    const event = (id: number) => ({ preventDefault: () => prevented.push(id) });
    guard.onQuitRequested(event(1));
    guard.onQuitRequested(event(2)); // a second Cmd-Q while stopping
    expect(prevented).toEqual([1, 2]);
    expect(exits).toEqual([]);
    release();
    expect(await guard.stopNow()).toBe('done');
    expect(exits).toEqual(['done']);
    guard.onQuitRequested(event(3));
    expect(prevented).toEqual([1, 2]);
  });

  it('exits after the time limit when the stop hangs', async () => {
    const exits: string[] = [];
    const guard = createQuitGuard({ stop: () => new Promise<void>(() => {}), timeoutMs: 50, exit: (result) => exits.push(result) });
    expect(await guard.stopNow()).toBe('timed-out');
    expect(exits).toEqual(['timed-out']);
  });
});
