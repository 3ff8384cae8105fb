// What the desktop app does with the gateway, independent of Electron: start it on the chosen
// port and store, change the port, switch the store (rolling back on failure), connect apps.
// The tray, the window's IPC handlers and main.ts all act through this.
import { DEFAULT_HOST } from '../core/defaults.ts';
import type { GatewayOptions } from '../core/index.ts';
import type { StoreLocation } from '../core/store/open.ts';
import type { ConnectionInfo, DesktopPreferences, OperationResult, StorageChoice } from '../../preload/canopy-bridge.ts';
import type { GatewayHost } from './gateway/gateway-host.ts';
import { isPortInUseError, portChangeRefusedMessage } from './gateway/port-conflict.ts';
import { storeLocation } from './gateway/store-location.ts';
import type { PreferencesService } from './preferences/preferences-service.ts';
import { applyPatch, preferencesView } from './preferences/schema.ts';
import type { PasswordVault } from './storage/password-vault.ts';
import { passwordAccount, withPassword } from './storage/postgres-url.ts';
import { planStorageSwitch, storageSwitchMessage, type StorageRequest } from './storage/switch-plan.ts';
import { testPostgresConnection } from './storage/test-postgres.ts';

export interface LaunchContext {
  dataDir: string;
  /** The built web UI; the window loads it from the gateway. */
  rendererDir?: string;
  /** The login-shell environment for stdio servers. */
  env: NodeJS.ProcessEnv;
}

export interface DesktopControllerDeps {
  host: GatewayHost;
  preferences: PreferencesService;
  vault: PasswordVault;
  launch: LaunchContext;
}

export class DesktopController {
  constructor(private readonly deps: DesktopControllerDeps) {}

  private async location(choice: StorageChoice, password?: string): Promise<StoreLocation> {
    const saved = choice.kind === 'postgres' && password === undefined ? await this.deps.vault.get(passwordAccount(choice.url)).catch(() => undefined) : undefined;
    return storeLocation(choice, this.deps.launch.dataDir, password ?? saved);
  }

  private options(port: number, store: StoreLocation): GatewayOptions {
    const { dataDir, rendererDir, env } = this.deps.launch;
    return { host: DEFAULT_HOST, port, store, dataDir, env, ...(rendererDir ? { rendererDir } : {}) };
  }

  /** Starts on the saved store, on `port` (default: the saved port). Rejects when it cannot start. */
  async start(port = this.deps.preferences.value.port): Promise<void> {
    const store = await this.location(this.deps.preferences.value.storage);
    await this.deps.host.start(this.options(port, store));
  }

  connection(): ConnectionInfo {
    const url = this.deps.host.url;
    if (!url) throw new Error('Canopy is not running');
    return { gatewayUrl: url, mcpUrl: `${url}/mcp` };
  }

  preferences(): DesktopPreferences {
    return preferencesView(this.deps.preferences.value);
  }

  /** Saves the change; a new port restarts the gateway there (and stays put when it is taken). */
  async updatePreferences(patch: unknown): Promise<DesktopPreferences> {
    // Validate before anything restarts.
    const next = applyPatch(this.deps.preferences.value, patch);
    const running = this.deps.host.options;
    if (running && next.port !== running.port) {
      const outcome = await this.deps.host.replace({ ...running, port: next.port });
      if (!outcome.ok) {
        throw new Error(isPortInUseError(outcome.error) ? portChangeRefusedMessage(next.port, running.port ?? this.deps.preferences.value.port) : outcome.error.message);
      }
    }
    return preferencesView(this.deps.preferences.patch(patch));
  }

  async testPostgres(url: string, password?: string): Promise<OperationResult> {
    const plan = planStorageSwitch({ kind: 'sqlite' }, { kind: 'postgres', url, password });
    if (plan.action !== 'switch' || plan.to.kind !== 'postgres') return { ok: false, message: 'not a PostgreSQL URL' };
    const saved = plan.savedPasswordAccount ? await this.deps.vault.get(plan.savedPasswordAccount).catch(() => undefined) : undefined;
    return testPostgresConnection(withPassword(plan.to.url, plan.newPassword?.password ?? saved));
  }

  /** Stop → start on the new store → (on failure) back to the previous one. Saves only what worked. */
  async switchStorage(request: StorageRequest): Promise<OperationResult> {
    const plan = planStorageSwitch(this.deps.preferences.value.storage, request);
    if (plan.action === 'none') return { ok: true, message: plan.message };
    const port = this.deps.host.options?.port ?? this.deps.preferences.value.port;
    const outcome = await this.deps.host.replace(this.options(port, await this.location(plan.to, plan.newPassword?.password)));
    const message = storageSwitchMessage(plan, outcome);
    if (!outcome.ok) return { ok: false, message };
    this.deps.preferences.setStorage(plan.to);
    if (plan.newPassword) {
      try {
        await this.deps.vault.set(plan.newPassword.account, plan.newPassword.password);
      } catch (error) {
        return { ok: true, message: `${message} The password could not be saved in the keychain (${(error as Error).message}): enter it again in Settings after the next restart.` };
      }
    }
    return { ok: true, message };
  }
}
