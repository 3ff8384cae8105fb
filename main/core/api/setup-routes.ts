// Moving the servers of the user's apps (Cursor, Claude Desktop, …) into Canopy over the admin API:
// GET /setup/apps (what each app holds, duplicates marked), POST /setup/apps/{app}/migrate (import the
// chosen servers, then switch the app to Canopy), POST /setup/apps/{app}/undo, PUT /setup/first-run.
// These read and write files in the home of the user the gateway runs as, which is the caller only on
// a desktop: an enterprise gateway refuses them (its admins' apps live on their own machines; they
// use `canopy setup --migrate` there).
import { Hono } from 'hono';
import { z } from 'zod';
import { APPS, isAppId, type AppId } from '../connect-apps/apps.ts';
import type { BridgeLauncher } from '../connect-apps/entry.ts';
import { migrateApp, scanApp, scanApps, sharedServers, undoMigration, type AppScan } from '../connect-apps/migrate.ts';
import type { HostLocation } from '../connect-apps/paths.ts';
import type { ImportEntry } from '../config/mcp-servers-file.ts';
import { expandPlaceholders } from '../config/placeholders.ts';
import { ConfigError } from '../config/config-error.ts';
import { CanopyError } from '../errors.ts';
import type { Registry } from '../registry/registry.ts';
import type { SettingsRepository } from '../store/settings.ts';
import type { ApiEnv } from '../access/access-guard.ts';
import type { AppScanView, AppServerView, ImportOutcomeView, MigrateAppResult, SetupScanView, UndoMigrationResult } from './contract.ts';
import { readJson } from './read-json.ts';

export interface SetupRouteServices {
  registry: Registry;
  settings: SettingsRepository;
  /** Where the apps' config files are (this user's home); undefined in enterprise mode. */
  appHost: HostLocation | undefined;
  /** The gateway's MCP endpoint, and how to launch this installation's `canopy` (absent: no full CLI). */
  canopyEntry: () => { url: string; bridge?: BridgeLauncher };
}

const FIRST_RUN_DISMISSED = 'first_run_dismissed';
const migrateBody = z.strictObject({ servers: z.array(z.string()).optional(), switchApp: z.boolean().optional() });
const firstRunBody = z.strictObject({ dismissed: z.boolean() });

function target(entry: ImportEntry): string {
  const config = entry.config as { command?: string; args?: string[]; url?: string } | undefined;
  if (!config) return '';
  return config.url ?? [config.command, ...(config.args ?? [])].join(' ');
}

function secretNames(entry: ImportEntry): string[] {
  const config = entry.config as { env?: Record<string, unknown>; headers?: Record<string, unknown> } | undefined;
  return [...Object.keys(config?.env ?? {}), ...Object.keys(config?.headers ?? {})];
}

function scanView(scans: AppScan[], registry: Registry): AppScanView[] {
  const shared = sharedServers(scans);
  return scans.map((scan) => ({
    app: scan.app,
    displayName: scan.displayName,
    path: scan.path,
    found: scan.found,
    connected: scan.connected,
    canUndo: scan.canUndo,
    ...(scan.error ? { error: scan.error } : {}),
    servers: scan.servers.map(
      (entry): AppServerView => ({
        name: entry.name,
        target: target(entry),
        secretNames: secretNames(entry),
        disabled: entry.disabled,
        ...(entry.error ? { error: entry.error } : {}),
        alsoIn: (shared.find((group) => group.apps.includes(scan.app) && group.names.includes(entry.name))?.apps ?? [])
          .filter((app) => app !== scan.app)
          .map((app) => APPS[app].displayName),
        registered: registry.server(entry.name) !== undefined,
      }),
    ),
  }));
}

export function setupRoutes(services: SetupRouteServices): Hono<ApiEnv> {
  const { registry, settings } = services;
  const api = new Hono<ApiEnv>();

  const host = (): HostLocation => {
    if (!services.appHost) {
      throw new CanopyError(
        'forbidden',
        "an enterprise gateway does not read or change its host's app configs: run `canopy setup --migrate APP` on the machine the app runs on",
      );
    }
    return services.appHost;
  };
  const appOf = (app: string): AppId => {
    if (!isAppId(app)) throw new CanopyError('not_found', `unknown app '${app}'`);
    return app;
  };
  // The first-run view only offers to move servers in: with none in any app, the empty server list
  // (and its "Add server") is the better first window.
  const firstRun = async (scans: AppScan[]) =>
    scans.some((scan) => scan.servers.length > 0) && registry.slots().length === 0 && (await settings.get(FIRST_RUN_DISMISSED)) !== 'true';

  api.get('/setup/apps', async (c) => {
    const scans = await scanApps(host());
    return c.json({ apps: scanView(scans, registry), firstRun: await firstRun(scans) } satisfies SetupScanView);
  });

  api.put('/setup/first-run', async (c) => {
    const body = await readJson(c, firstRunBody, 'request');
    await settings.set(FIRST_RUN_DISMISSED, String(body.dismissed));
    return c.json({ firstRun: await firstRun(await scanApps(host())) });
  });

  api.post('/setup/apps/:app/migrate', async (c) => {
    const app = appOf(c.req.param('app'));
    const body = await readJson(c, migrateBody, 'request');
    const scan = await scanApp(app, host());
    if (scan.error) throw new CanopyError('bad_request', scan.error);
    const unknown = (body.servers ?? []).filter((name) => !scan.servers.some((entry) => entry.name === name));
    if (unknown.length > 0) throw new CanopyError('bad_request', `${scan.displayName} has no server named ${unknown.join(', ')}`);
    const chosen = scan.servers.filter((entry) => !body.servers || body.servers.includes(entry.name));

    const imported: ImportOutcomeView[] = [];
    for (const entry of chosen) {
      if (!entry.config) {
        imported.push({ name: entry.name, result: 'failed', reason: entry.error ?? 'cannot be imported' });
        continue;
      }
      try {
        // Placeholders expand from the gateway's environment, which on a desktop is the user's.
        const result = await registry.registerServer({ config: expandPlaceholders(entry.config, host().env as NodeJS.ProcessEnv), enabled: !entry.disabled });
        imported.push({ name: entry.name, result: result.authorizationUrl ? 'needs_authorization' : result.unchanged ? 'unchanged' : 'registered' });
      } catch (error) {
        if (!(error instanceof CanopyError) && !(error instanceof ConfigError)) throw error;
        imported.push({ name: entry.name, result: 'failed', reason: error.message });
      }
    }
    const answer: MigrateAppResult = { imported };
    if (body.switchApp !== false) {
      const { url, bridge } = services.canopyEntry();
      // Claude Desktop launches `canopy stdio-bridge`; the other apps only need the URL.
      if (app === 'claude-desktop' && !bridge) {
        throw new CanopyError('bad_request', 'Claude Desktop reaches Canopy through the `canopy` command, and this installation has none: run `canopy setup --migrate claude-desktop` from a full install');
      }
      // Only what Canopy now holds leaves the app; a failed entry stays where it works today.
      const done = imported.filter((outcome) => outcome.result !== 'failed').map((outcome) => outcome.name);
      const result = await migrateApp({ app, imported: done, url, bridge: bridge ?? { command: 'canopy', args: [] }, ...host() });
      answer.switched = { path: result.path, removed: result.removed, backupPath: result.backupPath, ...(APPS[app].restartHint ? { restartHint: APPS[app].restartHint } : {}) };
    }
    return c.json(answer);
  });

  api.post('/setup/apps/:app/undo', async (c) => {
    const app = appOf(c.req.param('app'));
    const result = await undoMigration(app, host());
    return c.json({ path: result.path, ...(result.replacedKeptAt ? { replacedKeptAt: result.replacedKeptAt } : {}) } satisfies UndoMigrationResult);
  });
  return api;
}
