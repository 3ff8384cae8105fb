// Messages between a desktop app running on the Electron stand-in (a child process) and the test
// driving it, over the child's IPC channel. The app side records what it does; the test clicks,
// answers dialogs, fires OS events and looks at the window.
import type { MessageBoxOptions, WebPreferences } from 'electron';

export interface SerializedMenuItem {
  label: string;
  type: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  enabled: boolean;
  checked: boolean;
  sublabel?: string;
  toolTip?: string;
  submenu?: SerializedMenuItem[];
}

export type AppRecord =
  | { kind: 'ready'; pid: number }
  | { kind: 'single-instance-lock'; acquired: boolean }
  | { kind: 'second-instance'; argv: string[] }
  | { kind: 'tray-created'; image: string; imageExists: boolean }
  | { kind: 'tray-menu'; items: SerializedMenuItem[] }
  | { kind: 'tray-image'; image: string; imageExists: boolean }
  | { kind: 'tray-tooltip'; text: string }
  | { kind: 'message-box'; id: number; options: MessageBoxOptions }
  | { kind: 'error-box'; title: string; content: string }
  | { kind: 'notification'; id: number; title: string; body: string }
  | { kind: 'window-created'; webPreferences: WebPreferences; preloadExists: boolean }
  | { kind: 'window-load'; url: string }
  | { kind: 'window-shown' }
  | { kind: 'window-hidden' }
  | { kind: 'page-error'; message: string }
  | { kind: 'ipc'; channel: string; senderUrl: string; ok: boolean }
  | { kind: 'open-external'; url: string }
  | { kind: 'clipboard'; text: string }
  | { kind: 'login-item'; openAtLogin: boolean }
  | { kind: 'theme-source'; value: string }
  | { kind: 'quit'; phase: 'before-quit' | 'will-quit' | 'quit'; prevented: boolean }
  | { kind: 'exit'; code: number }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; message: string };

export type TestCommand =
  | { op: 'click-tray'; id: number; path: string[] }
  | { op: 'answer'; id: number; dialog: number; response: number }
  | { op: 'emit'; id: number; target: 'app' | 'powerMonitor' | 'nativeTheme'; event: string }
  | { op: 'click-notification'; id: number; notification: number }
  | { op: 'window-evaluate'; id: number; expression: string }
  | { op: 'window-screenshot'; id: number; path: string };

/** Menu labels are matched by prefix: a server's label carries its changing state. */
export function findMenuItem<T extends { label?: string; submenu?: unknown }>(items: readonly T[], path: readonly string[]): T | undefined {
  const [first, ...rest] = path;
  const item = items.find((candidate) => candidate.label?.startsWith(first));
  if (!item || rest.length === 0) return item;
  return Array.isArray(item.submenu) ? findMenuItem(item.submenu as T[], rest) : undefined;
}
