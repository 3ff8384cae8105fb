// A stand-in for the `electron` module, for running the built desktop bundle in plain Node (the
// Electron binary cannot be downloaded here). It implements exactly the surface Canopy and
// electron-store use, typed against Electron's own declarations (each object `satisfies` a Pick of
// the real type), records what the app does and takes commands from the test over the child's IPC
// channel (see protocol.ts). BrowserWindow renders in real Chromium: window.ts.
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as Electron from 'electron';
import { findMenuItem, type AppRecord, type SerializedMenuItem, type TestCommand } from './protocol.ts';
import { StandInBrowserWindow, closeBrowser, windowCommand, type WindowHost } from './window.ts';

// ── the channel to the test ───────────────────────────────────────────────────────────────────

function record(entry: AppRecord): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(entry, () => resolve());
  });
}

let nextId = 0;
const awaitingAnswer = new Map<number, (response: number) => void>();

/** A cancellable event as Electron passes to `before-quit`, `close`, `will-navigate`… */
function cancellableEvent(): { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

// ── app ───────────────────────────────────────────────────────────────────────────────────────

const appPath = process.env.CANOPY_STAND_IN_APP_PATH ?? process.cwd();

class StandInApp extends EventEmitter {
  readonly isPackaged = false;
  readonly dock = undefined;
  private readonly paths = new Map<string, string>([
    ['home', homedir()],
    ['appData', join(homedir(), '.config')],
    ['userData', join(homedir(), '.config', 'Electron')],
    ['temp', process.env.TMPDIR ?? '/tmp'],
  ]);
  private readyPromise: Promise<void>;
  private ready = false;
  private lockFile: string | undefined;
  private lockServer: Server | undefined;
  /** The second instance's message to the first, sent before it exits. */
  private signalling: Promise<void> = Promise.resolve();
  private quitting = false;
  private openAtLogin = false;
  /** Electron's main loop runs until the app quits, whether or not Node has work pending. */
  private readonly mainLoop = setInterval(() => {}, 1 << 30);

  constructor() {
    super();
    // Electron is ready once the main script's first turn is over.
    this.readyPromise = new Promise((resolve) =>
      setImmediate(() => {
        this.ready = true;
        this.emit('ready', {}, {});
        void record({ kind: 'ready', pid: process.pid });
        resolve();
      }),
    );
  }

  getAppPath(): string {
    return appPath;
  }

  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`the stand-in has no path '${name}'`);
    return path;
  }

  setPath(name: string, path: string): void {
    if (this.lockFile && name === 'userData') throw new Error('setPath(userData) after requestSingleInstanceLock: the lock is in the old folder');
    this.paths.set(name, path);
  }

  getVersion(): string {
    return (JSON.parse(readFileSync(join(appPath, 'package.json'), 'utf8')) as { version: string }).version;
  }

  getName(): string {
    return 'Canopy';
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  /** Like Electron's: a lock in the user data dir; the loser tells the winner its argv. */
  requestSingleInstanceLock(): boolean {
    const dir = this.getPath('userData');
    const lockFile = join(dir, 'SingletonLock');
    const socketPath = join(dir, 'SingletonSocket');
    let fd: number;
    try {
      fd = openSync(lockFile, 'wx');
    } catch {
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (isAlive(holder)) {
        this.signalling = new Promise((resolve) => {
          const socket = createConnection(socketPath, () => socket.end(JSON.stringify({ argv: process.argv, cwd: process.cwd() })));
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
        });
        void record({ kind: 'single-instance-lock', acquired: false });
        return false;
      }
      rmSync(lockFile, { force: true });
      fd = openSync(lockFile, 'wx');
    }
    writeSync(fd, String(process.pid));
    closeSync(fd);
    this.lockFile = lockFile;
    rmSync(socketPath, { force: true });
    this.lockServer = createServer((socket) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => {
        const { argv, cwd } = JSON.parse(text) as { argv: string[]; cwd: string };
        void record({ kind: 'second-instance', argv });
        this.emit('second-instance', cancellableEvent(), argv, cwd, {});
      });
    }).listen(socketPath);
    this.lockServer.unref();
    void record({ kind: 'single-instance-lock', acquired: true });
    return true;
  }

  getLoginItemSettings(): Electron.LoginItemSettings {
    return {
      openAtLogin: this.openAtLogin,
      openAsHidden: false,
      wasOpenedAtLogin: false,
      wasOpenedAsHidden: false,
      restoreState: false,
      status: this.openAtLogin ? 'enabled' : 'not-registered',
      executableWillLaunchAtLogin: this.openAtLogin,
      launchItems: [],
    };
  }

  setLoginItemSettings(settings: Electron.Settings): void {
    this.openAtLogin = settings.openAtLogin ?? false;
    void record({ kind: 'login-item', openAtLogin: this.openAtLogin });
  }

  /** Electron's order: before-quit, every window's close, will-quit, quit, exit. Each may be prevented. */
  quit(): void {
    if (this.quitting) return;
    const beforeQuit = cancellableEvent();
    this.emit('before-quit', beforeQuit);
    void record({ kind: 'quit', phase: 'before-quit', prevented: beforeQuit.defaultPrevented });
    if (beforeQuit.defaultPrevented) return;
    for (const window of StandInBrowserWindow.all()) {
      if (!window.closeForQuit()) return;
    }
    const willQuit = cancellableEvent();
    this.emit('will-quit', willQuit);
    void record({ kind: 'quit', phase: 'will-quit', prevented: willQuit.defaultPrevented });
    if (willQuit.defaultPrevented) return;
    this.quitting = true;
    this.emit('quit', cancellableEvent(), 0);
    void record({ kind: 'quit', phase: 'quit', prevented: false });
    void this.shutdown(0);
  }

  exit(code = 0): void {
    this.quitting = true;
    void this.shutdown(code);
  }

  private async shutdown(code: number): Promise<void> {
    clearInterval(this.mainLoop);
    await this.signalling;
    await closeBrowser();
    this.lockServer?.close();
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    await record({ kind: 'exit', code });
    process.exit(code);
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export const app = new StandInApp();

// ── menus, tray, images ───────────────────────────────────────────────────────────────────────

type MenuTemplateItem = Electron.MenuItemConstructorOptions;

class StandInMenu {
  constructor(readonly items: MenuTemplateItem[]) {}

  static buildFromTemplate(template: Array<MenuTemplateItem | Electron.MenuItem>): StandInMenu {
    return new StandInMenu(template as MenuTemplateItem[]);
  }
}

function itemType(item: MenuTemplateItem): SerializedMenuItem['type'] {
  if (item.type === 'separator' || item.type === 'checkbox' || item.type === 'radio') return item.type;
  return item.submenu ? 'submenu' : 'normal';
}

function serializeMenu(items: MenuTemplateItem[]): SerializedMenuItem[] {
  return items.map((item) => ({
    label: item.label ?? '',
    type: itemType(item),
    enabled: item.enabled ?? true,
    checked: item.checked ?? false,
    ...(item.sublabel ? { sublabel: item.sublabel } : {}),
    ...(item.toolTip ? { toolTip: item.toolTip } : {}),
    ...(Array.isArray(item.submenu) ? { submenu: serializeMenu(item.submenu) } : {}),
  }));
}

class StandInImage {
  constructor(readonly path: string) {}

  isEmpty(): boolean {
    return !existsSync(this.path);
  }

  setTemplateImage(_option: boolean): void {}
}

export const nativeImage = {
  createFromPath: (path: string) => new StandInImage(path),
} satisfies Record<'createFromPath', (path: string) => Pick<Electron.NativeImage, 'isEmpty' | 'setTemplateImage'>>;

let currentTray: StandInTray | undefined;

class StandInTray extends EventEmitter implements Pick<Electron.Tray, 'setToolTip' | 'destroy'> {
  private menu: StandInMenu | undefined;

  constructor(image: StandInImage) {
    super();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the stand-in keeps its one tray where tests find it
    currentTray = this;
    void record({ kind: 'tray-created', image: image.path, imageExists: !image.isEmpty() });
  }

  setContextMenu(menu: StandInMenu | null): void {
    this.menu = menu ?? undefined;
    void record({ kind: 'tray-menu', items: serializeMenu(this.menu?.items ?? []) });
  }

  setImage(image: StandInImage): void {
    void record({ kind: 'tray-image', image: image.path, imageExists: !image.isEmpty() });
  }

  setToolTip(text: string): void {
    void record({ kind: 'tray-tooltip', text });
  }

  destroy(): void {
    currentTray = undefined;
  }

  /** What the OS does on a menu click: a checkbox flips first, then `click` runs. */
  click(path: string[]): void {
    const item = findMenuItem(this.menu?.items ?? [], path);
    if (!item) throw new Error(`no tray menu item ${JSON.stringify(path)}`);
    if (item.enabled === false) throw new Error(`tray menu item ${JSON.stringify(path)} is disabled`);
    if (item.type === 'checkbox') item.checked = !item.checked;
    (item.click as (() => void) | undefined)?.();
  }
}

// ── everything else the app touches ───────────────────────────────────────────────────────────

export const dialog = {
  showMessageBox(windowOrOptions: unknown, maybeOptions?: Electron.MessageBoxOptions): Promise<Electron.MessageBoxReturnValue> {
    const options = (maybeOptions ?? windowOrOptions) as Electron.MessageBoxOptions;
    const id = ++nextId;
    void record({ kind: 'message-box', id, options });
    return new Promise((resolve) => awaitingAnswer.set(id, (response) => resolve({ response, checkboxChecked: false })));
  },
  showErrorBox(title: string, content: string): void {
    void record({ kind: 'error-box', title, content });
  },
} satisfies Pick<Electron.Dialog, 'showErrorBox'> & { showMessageBox: (options: Electron.MessageBoxOptions) => Promise<Electron.MessageBoxReturnValue> };

export const shell = {
  openExternal: async (url: string) => record({ kind: 'open-external', url }),
  openPath: async (_path: string) => 'the stand-in opens no files',
} satisfies Pick<Electron.Shell, 'openExternal' | 'openPath'>;

export const clipboard = {
  writeText: (text: string) => void record({ kind: 'clipboard', text }),
} satisfies Pick<Electron.Clipboard, 'writeText'>;

class StandInNativeTheme extends EventEmitter {
  private source: 'system' | 'light' | 'dark' = 'system';

  get themeSource() {
    return this.source;
  }

  set themeSource(value: 'system' | 'light' | 'dark') {
    this.source = value;
    void record({ kind: 'theme-source', value });
  }

  get shouldUseDarkColors(): boolean {
    return this.source === 'dark';
  }
}
export const nativeTheme = new StandInNativeTheme() satisfies Pick<Electron.NativeTheme, 'themeSource' | 'shouldUseDarkColors'>;

export const powerMonitor = new EventEmitter();

const workArea = { x: 0, y: 0, width: 1280, height: 860 };
export const screen = {
  getAllDisplays: () => [{ workArea, bounds: workArea }],
} satisfies Record<'getAllDisplays', () => Array<Pick<Electron.Display, 'workArea' | 'bounds'>>>;

class StandInIpcMain extends EventEmitter {
  readonly handlers = new Map<string, (event: Pick<Electron.IpcMainInvokeEvent, 'senderFrame'>, ...args: unknown[]) => unknown>();

  handle(channel: string, listener: (event: Electron.IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener as never);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}
export const ipcMain = new StandInIpcMain() satisfies Pick<Electron.IpcMain, 'handle' | 'removeHandler'>;

type HeadersListener = Parameters<Electron.WebRequest['onHeadersReceived']>[0];
export const session = {
  defaultSession: {
    onHeadersReceived: undefined as HeadersListener | undefined,
    setPermissionRequestHandler(_handler: Parameters<Electron.Session['setPermissionRequestHandler']>[0]) {},
    setPermissionCheckHandler(_handler: Parameters<Electron.Session['setPermissionCheckHandler']>[0]) {},
    webRequest: {
      onHeadersReceived(listener: HeadersListener | null) {
        session.defaultSession.onHeadersReceived = listener ?? undefined;
      },
    },
  },
};

const notifications: StandInNotification[] = [];

class StandInNotification extends EventEmitter implements Pick<Electron.Notification, 'show' | 'close'> {
  static isSupported(): boolean {
    return true;
  }

  constructor(private readonly options: Electron.NotificationConstructorOptions = {}) {
    super();
  }

  show(): void {
    notifications.push(this);
    void record({ kind: 'notification', id: notifications.length - 1, title: this.options.title ?? '', body: this.options.body ?? '' });
  }

  close(): void {}
}

const windowHost: WindowHost = {
  record,
  ipcHandler: (channel) => ipcMain.handlers.get(channel),
  onHeadersReceived: () => session.defaultSession.onHeadersReceived,
  webContentsCreated: (contents) => app.emit('web-contents-created', cancellableEvent(), contents),
};
StandInBrowserWindow.host = windowHost;

export const BrowserWindow = StandInBrowserWindow;
export const Tray = StandInTray;
export const Menu = StandInMenu;
export const Notification = StandInNotification;

// ── commands from the test ────────────────────────────────────────────────────────────────────

async function run(command: TestCommand): Promise<unknown> {
  switch (command.op) {
    case 'click-tray':
      if (!currentTray) throw new Error('there is no tray');
      return currentTray.click(command.path);
    case 'answer': {
      const answer = awaitingAnswer.get(command.dialog);
      if (!answer) throw new Error(`no dialog ${command.dialog} is waiting`);
      awaitingAnswer.delete(command.dialog);
      return answer(command.response);
    }
    case 'emit': {
      const target = { app, powerMonitor, nativeTheme }[command.target];
      return target.emit(command.event, cancellableEvent());
    }
    case 'click-notification': {
      const notification = notifications[command.notification];
      if (!notification) throw new Error(`no notification ${command.notification}`);
      return notification.emit('click', cancellableEvent());
    }
    case 'window-evaluate':
    case 'window-screenshot':
      return windowCommand(command);
  }
}

process.on('message', (command: TestCommand) => {
  run(command).then(
    (value) => record({ kind: 'reply', id: command.id, ok: true, value: value ?? null }),
    (error: Error) => record({ kind: 'reply', id: command.id, ok: false, message: error.message }),
  );
});
// The IPC channel must not keep a quitting app alive (the main loop does until then).
process.channel?.unref();

// Only names the real module exports.
const surface = { app, BrowserWindow, Menu, Tray, Notification, dialog, shell, clipboard, nativeTheme, nativeImage, powerMonitor, screen, ipcMain, session } satisfies Partial<
  Record<keyof typeof Electron, unknown>
>;
// electron-store does `import electron from 'electron'` (CommonJS default): both forms work.
export default surface;
