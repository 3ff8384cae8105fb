// The `window.canopy` desktop bridge: what the renderer may ask of the desktop app. The renderer
// imports these TYPES only (`import type`), and works without the bridge in a plain browser.
import type { AppId } from '../main/core/connect-apps/apps.ts';

export type Theme = 'system' | 'light' | 'dark';

/** Where the gateway keeps its data. A PostgreSQL URL here never contains a password. */
export type StorageChoice = { kind: 'sqlite' } | { kind: 'postgres'; url: string };

export interface DesktopPreferences {
  port: number;
  startAtLogin: boolean;
  theme: Theme;
  storage: StorageChoice;
}

/** Preferences the window may change directly; storage goes through `storage.switch`. */
export type PreferencesPatch = Partial<Pick<DesktopPreferences, 'port' | 'startAtLogin' | 'theme'>>;

export interface ConnectionInfo {
  /** e.g. http://127.0.0.1:7450 */
  gatewayUrl: string;
  /** e.g. http://127.0.0.1:7450/mcp */
  mcpUrl: string;
  /** The admin token, when the gateway needs one (enterprise store). */
  token?: string;
}

export interface ConnectAppView {
  app: AppId;
  displayName: string;
  path: string;
  outcome: 'created' | 'added' | 'updated' | 'unchanged';
  dryRun: boolean;
  /** Unified diff of the change ('' when unchanged). */
  diff: string;
  /** What to tell the user, including "restart the app" when needed. */
  message: string;
}

export interface ConnectAppRequest {
  /** Show the change without writing it. */
  dryRun?: boolean;
  /** Point the app at the search view (`/mcp/search`) instead of every tool (`/mcp`). */
  search?: boolean;
}

export interface PostgresRequest {
  /** postgres://user@host:port/db (a password in it is taken out and kept in the OS keychain). */
  url: string;
  password?: string;
}

/** A switch to PostgreSQL may also bring the key that encrypts upstream secrets there (kept in the OS keychain). */
export interface PostgresSwitchRequest extends PostgresRequest {
  secretKey?: string;
}

export interface OperationResult {
  ok: boolean;
  message: string;
}

export interface CanopyBridge {
  readonly platform: 'darwin' | 'win32' | 'linux';
  connection(): Promise<ConnectionInfo>;
  /** Opens an http(s) or mailto URL in the system browser / mail app. */
  openExternal(url: string): Promise<void>;
  connectApp(app: AppId, options?: ConnectAppRequest): Promise<ConnectAppView>;
  preferences: {
    get(): Promise<DesktopPreferences>;
    set(patch: PreferencesPatch): Promise<DesktopPreferences>;
  };
  storage: {
    testPostgres(request: PostgresRequest): Promise<OperationResult>;
    /** Restarts the gateway on the chosen store; on failure it goes back to the previous one. */
    switch(request: { kind: 'sqlite' } | ({ kind: 'postgres' } & PostgresSwitchRequest)): Promise<OperationResult>;
  };
}

declare global {
  interface Window {
    /** Present only inside the desktop app. */
    canopy?: CanopyBridge;
  }
}
