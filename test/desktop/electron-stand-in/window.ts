// The stand-in's BrowserWindow: the page renders in real Chromium (playwright-core), the real
// preload bundle runs in an isolated world of that page (as contextIsolation does), and its
// `ipcRenderer.invoke` reaches the handlers the app registered on the stand-in's ipcMain through a
// CDP binding that only that world can see. `contextBridge.exposeInMainWorld` hands the page a
// copy of the exposed object whose functions call back into the isolated world (DOM events carry
// JSON both ways). session.webRequest.onHeadersReceived is applied to every response (the CSP).
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type * as Electron from 'electron';
import type { AppRecord, TestCommand } from './protocol.ts';

type HeadersListener = Parameters<Electron.WebRequest['onHeadersReceived']>[0];
type InvokeListener = (event: Pick<Electron.IpcMainInvokeEvent, 'senderFrame'>, ...args: unknown[]) => unknown;

export interface WindowHost {
  record(entry: AppRecord): Promise<void>;
  ipcHandler(channel: string): InvokeListener | undefined;
  onHeadersReceived(): HeadersListener | undefined;
  webContentsCreated(contents: StandInWebContents): void;
}

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PRELOAD_WORLD = 'canopy-preload';
const INVOKE_BINDING = '__canopyIpcInvoke';

let browser: Promise<Browser> | undefined;

export async function closeBrowser(): Promise<void> {
  const running = browser;
  browser = undefined;
  if (running) await (await running).close().catch(() => {});
}

/** Runs in the page's main world: receives exposures and forwards calls to the isolated world. */
const MAIN_WORLD_HALF = `(() => {
  const pending = new Map();
  let next = 0;
  const build = (shape) => {
    if (shape.fn) return (...args) => new Promise((resolve, reject) => {
      const callId = ++next;
      pending.set(callId, { resolve, reject });
      document.dispatchEvent(new CustomEvent('__canopy_bridge_call', { detail: JSON.stringify({ callId, path: shape.fn, args }) }));
    });
    if (shape.object) return Object.freeze(Object.fromEntries(Object.entries(shape.object).map(([key, value]) => [key, build(value)])));
    return shape.value;
  };
  document.addEventListener('__canopy_bridge_result', (event) => {
    const result = JSON.parse(event.detail);
    const call = pending.get(result.callId);
    if (!call) return;
    pending.delete(result.callId);
    if (result.ok) call.resolve(result.value);
    else call.reject(new Error(result.message));
  });
  document.addEventListener('__canopy_bridge_expose', (event) => {
    const { key, shape } = JSON.parse(event.detail);
    Object.defineProperty(window, key, { value: build(shape), enumerable: true });
  });
  document.dispatchEvent(new CustomEvent('__canopy_bridge_hello'));
})();`;

/** Runs in the isolated world: Electron's sandboxed-preload environment around the preload source. */
function isolatedWorldScript(preloadSource: string): string {
  return `(() => {
  const pending = new Map();
  let next = 0;
  globalThis.__canopyIpcSettle = (id, json) => {
    const settle = pending.get(id);
    pending.delete(id);
    settle?.(JSON.parse(json));
  };
  const ipcRenderer = {
    invoke: (channel, ...args) => new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, (result) => (result.ok ? resolve(result.value) : reject(new Error(result.message))));
      globalThis.${INVOKE_BINDING}(JSON.stringify({ id, channel, args, url: location.href }));
    }),
  };
  const functions = new Map();
  const shapeOf = (value, path) => {
    if (typeof value === 'function') { functions.set(path, value); return { fn: path }; }
    if (value && typeof value === 'object') return { object: Object.fromEntries(Object.entries(value).map(([key, child]) => [key, shapeOf(child, path + '.' + key)])) };
    return { value };
  };
  const exposures = [];
  const announce = (exposure) => document.dispatchEvent(new CustomEvent('__canopy_bridge_expose', { detail: JSON.stringify(exposure) }));
  const contextBridge = {
    exposeInMainWorld: (key, api) => {
      const exposure = { key, shape: shapeOf(api, key) };
      exposures.push(exposure);
      announce(exposure);
    },
  };
  document.addEventListener('__canopy_bridge_hello', () => exposures.forEach(announce));
  document.addEventListener('__canopy_bridge_call', async (event) => {
    const { callId, path, args } = JSON.parse(event.detail);
    let result;
    try {
      result = { callId, ok: true, value: await functions.get(path)(...args) };
    } catch (error) {
      result = { callId, ok: false, message: String((error && error.message) || error) };
    }
    document.dispatchEvent(new CustomEvent('__canopy_bridge_result', { detail: JSON.stringify(result) }));
  });
  const electron = { contextBridge, ipcRenderer };
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error('a sandboxed preload cannot require ' + name);
  };
  const module = { exports: {} };
  const process = { platform: ${JSON.stringify(process.platform)}, type: 'renderer', sandboxed: true };
  (function (require, module, exports, process) {
${preloadSource}
  }).call(module.exports, require, module, module.exports, process);
})();`;
}

export class StandInWebContents extends EventEmitter implements Pick<Electron.WebContents, 'setWindowOpenHandler'> {
  windowOpenHandler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | undefined;

  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    this.windowOpenHandler = handler;
  }
}

export class StandInBrowserWindow
  extends EventEmitter
  implements Pick<Electron.BrowserWindow, 'loadURL' | 'show' | 'hide' | 'focus' | 'isVisible' | 'isMinimized' | 'restore' | 'maximize' | 'isMaximized' | 'getNormalBounds'>
{
  static host: WindowHost;
  private static readonly open = new Set<StandInBrowserWindow>();
  readonly webContents = new StandInWebContents();
  private page: Promise<Page> | undefined;
  private visible = false;
  private minimized = false;
  private maximized = false;

  static all(): StandInBrowserWindow[] {
    return [...StandInBrowserWindow.open];
  }

  constructor(private readonly options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    const preload = options.webPreferences?.preload;
    void StandInBrowserWindow.host.record({ kind: 'window-created', webPreferences: options.webPreferences ?? {}, preloadExists: !!preload && existsSync(preload) });
    StandInBrowserWindow.open.add(this);
    StandInBrowserWindow.host.webContentsCreated(this.webContents);
  }

  /** Like Electron's: resolves once the page has loaded, rejects when it cannot. */
  async loadURL(url: string): Promise<void> {
    void StandInBrowserWindow.host.record({ kind: 'window-load', url });
    const page = await (this.page ??= this.createPage());
    await page.goto(url);
  }

  show(): void {
    this.visible = true;
    this.minimized = false;
    void StandInBrowserWindow.host.record({ kind: 'window-shown' });
  }

  hide(): void {
    this.visible = false;
    void StandInBrowserWindow.host.record({ kind: 'window-hidden' });
  }

  focus(): void {}

  isVisible(): boolean {
    return this.visible;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  restore(): void {
    this.minimized = false;
  }

  maximize(): void {
    this.maximized = true;
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  getNormalBounds(): Electron.Rectangle {
    const { x = 0, y = 0, width = 800, height = 600 } = this.options;
    return { x, y, width, height };
  }

  /** The user closes the window (or the app quits): `close` may be prevented. */
  close(): boolean {
    const event = { defaultPrevented: false, preventDefault: () => (event.defaultPrevented = true) };
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    StandInBrowserWindow.open.delete(this);
    const page = this.page;
    this.page = undefined;
    void page?.then((opened) => opened.close()).catch(() => {});
    this.emit('closed');
    return true;
  }

  closeForQuit(): boolean {
    return this.close();
  }

  async currentPage(): Promise<Page> {
    if (!this.page) throw new Error('the window has not loaded anything');
    return this.page;
  }

  private async createPage(): Promise<Page> {
    const host = StandInBrowserWindow.host;
    const running = await (browser ??= chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    }));
    const context = await running.newContext({ viewport: { width: this.options.width ?? 1100, height: this.options.height ?? 760 } });
    await context.route('**/*', async (route) => {
      const listener = host.onHeadersReceived();
      if (!listener) return route.continue();
      // The gateway may be restarting (port or store change): the request fails as it would.
      const response = await route.fetch().catch(() => undefined);
      if (!response) return route.abort('connectionrefused').catch(() => {});
      const responseHeaders: Record<string, string[]> = {};
      for (const { name, value } of response.headersArray()) (responseHeaders[name] ??= []).push(value);
      const details = { url: route.request().url(), method: route.request().method(), statusCode: response.status(), responseHeaders };
      const changed = await new Promise<Record<string, string | string[]>>((resolve) =>
        listener(details as unknown as Electron.OnHeadersReceivedListenerDetails, (result) => resolve(result.responseHeaders ?? responseHeaders)),
      );
      const headers = Object.fromEntries(Object.entries(changed).map(([name, value]) => [name, [value].flat().join(', ')]));
      await route.fulfill({ response, headers }).catch(() => {});
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('pageerror', (error) => void host.record({ kind: 'page-error', message: error.message }));
    page.on('console', (message) => {
      if (message.type() === 'error') void host.record({ kind: 'page-error', message: message.text() });
    });

    const preloadPath = this.options.webPreferences?.preload;
    if (!preloadPath) return page;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Runtime.enable');
    await cdp.send('Page.enable');
    cdp.on('Runtime.exceptionThrown', ({ exceptionDetails }) => {
      void host.record({ kind: 'page-error', message: exceptionDetails.exception?.description ?? exceptionDetails.text });
    });
    cdp.on('Runtime.bindingCalled', ({ name, payload, executionContextId }) => {
      if (name !== INVOKE_BINDING) return;
      const { id, channel, args, url } = JSON.parse(payload) as { id: number; channel: string; args: unknown[]; url: string };
      void (async () => {
        const handler = host.ipcHandler(channel);
        let settle: { ok: true; value: unknown } | { ok: false; message: string };
        if (!handler) settle = { ok: false, message: `Error invoking remote method '${channel}': Error: No handler registered for '${channel}'` };
        else {
          try {
            settle = { ok: true, value: await handler({ senderFrame: { url } as Electron.WebFrameMain }, ...args) };
          } catch (error) {
            settle = { ok: false, message: `Error invoking remote method '${channel}': ${String(error)}` };
          }
        }
        void host.record({ kind: 'ipc', channel, senderUrl: url, ok: settle.ok });
        const expression = `globalThis.__canopyIpcSettle(${id}, ${JSON.stringify(JSON.stringify(settle))})`;
        await cdp.send('Runtime.evaluate', { contextId: executionContextId, expression }).catch(() => {});
      })();
    });
    await cdp.send('Runtime.addBinding', { name: INVOKE_BINDING, executionContextName: PRELOAD_WORLD });
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: MAIN_WORLD_HALF });
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: isolatedWorldScript(readFileSync(preloadPath, 'utf8')), worldName: PRELOAD_WORLD });
    return page;
  }
}

export async function windowCommand(command: Extract<TestCommand, { op: 'window-evaluate' | 'window-screenshot' }>): Promise<unknown> {
  const [window] = StandInBrowserWindow.all();
  if (!window) throw new Error('there is no window');
  const page = await window.currentPage();
  if (command.op === 'window-screenshot') {
    await page.screenshot({ path: command.path });
    return command.path;
  }
  return page.evaluate(command.expression);
}
