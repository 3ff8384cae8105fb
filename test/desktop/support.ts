// A GatewayHost on the real gateway: temporary data dir, file secrets, silent logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway } from '../../main/core/index.ts';
import { FileSecretStore } from '../../main/core/secrets/file-secret-store.ts';
import { silentLogger } from '../../main/core/telemetry/logger.ts';
import { GatewayHost } from '../../main/desktop/gateway/gateway-host.ts';
import { PreferencesService, type PreferencesBacking } from '../../main/desktop/preferences/preferences-service.ts';
import { DesktopController } from '../../main/desktop/desktop-controller.ts';
import type { PasswordVault } from '../../main/desktop/storage/password-vault.ts';
import type { Preferences } from '../../main/desktop/preferences/schema.ts';

export function realHost(stopTimeoutMs?: number): GatewayHost {
  return new GatewayHost(
    // PostgreSQL keeps its own backend (secrets encrypted in the database), as the app does.
    (options) =>
      createGateway({ ...options, logger: silentLogger(), ...(options.store.kind === 'sqlite' ? { secretStore: new FileSecretStore(options.dataDir) } : {}) }),
    stopTimeoutMs,
  );
}

/** The keychain as a map (the real one needs the D-Bus session `npm test` starts). */
export function memoryVault(): PasswordVault & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account),
    set: async (account, password) => void entries.set(account, password),
    delete: async (account) => void entries.delete(account),
  };
}

export interface DesktopFixture {
  host: GatewayHost;
  controller: DesktopController;
  preferences: PreferencesService;
  vault: ReturnType<typeof memoryVault>;
  stored: () => unknown;
  dataDir: string;
  close(): Promise<void>;
}

/** `initial.port` should be a free port: the default (7450) may be taken on a developer's machine. */
export async function desktopFixture(initial: Partial<Preferences>): Promise<DesktopFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'canopy-desktop-'));
  let stored: unknown = { ...initial };
  const backing: PreferencesBacking = { read: () => stored, write: (value) => void (stored = JSON.parse(JSON.stringify(value))) };
  const vault = memoryVault();
  const preferences = await PreferencesService.open(backing, vault, () => {});
  const host = realHost();
  const controller = new DesktopController({ host, preferences, vault, launch: { dataDir, env: process.env }, settingsEnv: {} });
  return {
    host,
    controller,
    preferences,
    vault,
    stored: () => stored,
    dataDir,
    async close() {
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
