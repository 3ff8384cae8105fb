// What the desktop app does with the gateway, independent of Electron: start it on the chosen
// port and store, change the port, switch the store (rolling back on failure), connect apps.
// The tray, the window's IPC handlers and main.ts all act through this.
import { randomBytes } from 'node:crypto';
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
import { passwordAccount, secretKeyAccount, withPassword } from './storage/postgres-url.ts';
import { newSecretKeyNote, planStorageSwitch, storageSwitchMessage, type StorageRequest } from './storage/switch-plan.ts';
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
  /** Canopy's own settings (CANOPY_SECRET_KEY), as the gateway reads them; default process.env. */
  settingsEnv?: NodeJS.ProcessEnv;
}

export class DesktopController {
  constructor(private readonly deps: DesktopControllerDeps) {}

  private async location(choice: StorageChoice, password?: string): Promise<StoreLocation> {
    const saved = choice.kind === 'postgres' && password === undefined ? await this.deps.vault.get(passwordAccount(choice.url)).catch(() => undefined) : undefined;
    return storeLocation(choice, this.deps.launch.dataDir, password ?? saved);
  }

  private options(port: number, store: StoreLocation, secretKey?: string): GatewayOptions {
    const { dataDir, rendererDir, env } = this.deps.launch;
    return { host: DEFAULT_HOST, port, store, dataDir, env, ...(rendererDir ? { rendererDir } : {}), ...(secretKey ? { secretKey } : {}) };
  }

  /**
   * The key that encrypts upstream secrets in a PostgreSQL store: the one just given, else the one in
   * the keychain, else CANOPY_SECRET_KEY (the gateway reads it), else a new one — made only when the
   * keychain can keep it, since the next start needs it again.
   */
  private async secretKey(key: { account: string; given?: string } | undefined): Promise<{ value?: string; save?: 'given' | 'new' }> {
    if (!key) return {};
    if (key.given) return { value: key.given, save: 'given' };
    let saved: string | undefined;
    try {
      saved = await this.deps.vault.get(key.account);
    } catch {
      return {};
    }
    if (saved) return { value: saved };
    if ((this.deps.settingsEnv ?? process.env).CANOPY_SECRET_KEY) return {};
    return { value: randomBytes(32).toString('base64'), save: 'new' };
  }

  /** Starts on the saved store, on `port` (default: the saved port). Rejects when it cannot start. */
  async start(port = this.deps.preferences.value.port): Promise<void> {
    const choice = this.deps.preferences.value.storage;
    const store = await this.location(choice);
    // Only a saved key: keys are made by the storage switch, never at start (a new one would not open old secrets).
    const key = choice.kind === 'postgres' ? await this.deps.vault.get(secretKeyAccount(choice.url)).catch(() => undefined) : undefined;
    await this.deps.host.start(this.options(port, store, key));
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
    const key = await this.secretKey(plan.secretKey);
    const outcome = await this.deps.host.replace(this.options(port, await this.location(plan.to, plan.newPassword?.password), key.value));
    const message = storageSwitchMessage(plan, outcome);
    if (!outcome.ok) return { ok: false, message };
    this.deps.preferences.setStorage(plan.to);
    const notes: string[] = [];
    if (plan.newPassword) {
      try {
        await this.deps.vault.set(plan.newPassword.account, plan.newPassword.password);
      } catch (error) {
        notes.push(`The password could not be saved in the keychain (${(error as Error).message}): enter it again in Settings after the next restart.`);
      }
    }
    if (plan.secretKey && key.save && key.value) {
      try {
        await this.deps.vault.set(plan.secretKey.account, key.value);
        if (key.save === 'new') notes.push(newSecretKeyNote(plan.secretKey.account));
      } catch (error) {
        notes.push(`The secret key could not be saved in the keychain (${(error as Error).message}): enter it again in Settings after the next restart.`);
      }
    }
    return { ok: true, message: [message, ...notes].join(' ') };
  }
}
