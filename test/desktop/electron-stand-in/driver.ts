// Runs the built desktop bundle (dist/desktop/main.js, what `electron .` loads) as a child process
// on the Electron stand-in, and drives it: records, tray clicks, dialog answers, OS events, the window.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { ensureRendererBuilt } from '../../ui/support/renderer-build.ts';
import type { AppRecord, SerializedMenuItem, TestCommand } from './protocol.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const standInOut = join(repoRoot, 'dist', 'electron-stand-in', 'electron.mjs');
const registerHook = fileURLToPath(new URL('./register.mjs', import.meta.url));
export const artifactsDir = join(repoRoot, 'test-artifacts', 'desktop');

/** The real build (scripts/build-desktop.mjs, the renderer) plus the stand-in, bundled like the app. */
export async function buildDesktopApp(): Promise<void> {
  await Promise.all([
    promisify(execFile)(process.execPath, [join(repoRoot, 'scripts', 'build-desktop.mjs')], { cwd: repoRoot }),
    ensureRendererBuilt(),
    build({
      entryPoints: [fileURLToPath(new URL('./electron.ts', import.meta.url))],
      outfile: standInOut,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    }),
  ]);
}

export interface LaunchOptions {
  home: string;
  port: number;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Preferences written before the first launch (electron-store's file). */
  preferences?: Record<string, unknown>;
}

/** Where main.ts puts userData on Linux: $XDG_DATA_HOME/canopy. */
function dataDirOf(home: string): string {
  return join(home, '.local', 'share', 'canopy');
}

type DialogAnswer = (record: Extract<AppRecord, { kind: 'message-box' }>) => number | undefined;

export class DesktopApp {
  readonly records: AppRecord[] = [];
  readonly exited: Promise<number | null>;
  stderr = '';
  private nextId = 0;
  private readonly waiters = new Set<() => void>();
  private answerDialog: DialogAnswer = () => undefined;

  constructor(readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.stdout?.on('data', () => {});
    child.on('message', (entry: AppRecord) => {
      this.records.push(entry);
      if (entry.kind === 'message-box') {
        const response = this.answerDialog(entry);
        if (response !== undefined) void this.command({ op: 'answer', id: 0, dialog: entry.id, response });
      }
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  /** How dialogs are answered from now on (undefined: leave it open; answer with `answer`). */
  onDialog(answer: DialogAnswer): void {
    this.answerDialog = answer;
  }

  async waitFor<T extends AppRecord>(predicate: (entry: AppRecord) => entry is T, what: string, timeoutMs?: number): Promise<T>;
  async waitFor(predicate: (entry: AppRecord) => boolean, what: string, timeoutMs?: number): Promise<AppRecord>;
  async waitFor(predicate: (entry: AppRecord) => boolean, what: string, timeoutMs = 45_000): Promise<AppRecord> {
    return this.waitForFrom(0, predicate, what, timeoutMs);
  }

  /** Waits for a record after the first `from` ones (use `records.length` taken before acting). */
  waitForFrom(from: number, predicate: (entry: AppRecord) => boolean, what: string, timeoutMs = 45_000): Promise<AppRecord> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.records.slice(from).find(predicate);
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; last records: ${JSON.stringify(this.records.slice(-5))}\nstderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      if (!check()) this.waiters.add(check);
    });
  }

  async command(command: TestCommand): Promise<unknown> {
    const id = command.op === 'answer' ? 0 : ++this.nextId;
    const sent = { ...command, id } as TestCommand;
    if (command.op === 'answer') {
      this.child.send(sent);
      return undefined;
    }
    const before = this.records.length;
    this.child.send(sent);
    const reply = (await this.waitForFrom(before, (entry) => entry.kind === 'reply' && entry.id === id, `reply to ${command.op}`)) as Extract<AppRecord, { kind: 'reply' }>;
    if (!reply.ok) throw new Error(reply.message);
    return reply.value;
  }

  /** The tray menu as it was last set. */
  trayMenu(): SerializedMenuItem[] {
    const menus = this.records.filter((entry): entry is Extract<AppRecord, { kind: 'tray-menu' }> => entry.kind === 'tray-menu');
    return menus.at(-1)?.items ?? [];
  }

  /** Waits until the tray menu (set after record `from`) satisfies `predicate`. */
  async trayMenuWhere(predicate: (items: SerializedMenuItem[]) => boolean, what: string, from = 0): Promise<SerializedMenuItem[]> {
    const entry = await this.waitForFrom(from, (candidate) => candidate.kind === 'tray-menu' && predicate(candidate.items), `tray menu ${what}`);
    return (entry as Extract<AppRecord, { kind: 'tray-menu' }>).items;
  }

  clickTray(...path: string[]): Promise<unknown> {
    return this.command({ op: 'click-tray', id: 0, path });
  }

  evaluate<T>(expression: string): Promise<T> {
    return this.command({ op: 'window-evaluate', id: 0, expression }) as Promise<T>;
  }

  screenshot(name: string): Promise<unknown> {
    mkdirSync(artifactsDir, { recursive: true });
    return this.command({ op: 'window-screenshot', id: 0, path: join(artifactsDir, `${name}.png`) });
  }

  emit(target: 'app' | 'powerMonitor' | 'nativeTheme', event: string): Promise<unknown> {
    return this.command({ op: 'emit', id: 0, target, event });
  }

  /** Last resort in a failing test: the app did not quit by itself. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

export function launchDesktopApp({ home, port, args = [], env = {}, preferences }: LaunchOptions): DesktopApp {
  const dataDir = dataDirOf(home);
  mkdirSync(dataDir, { recursive: true });
  if (preferences) writeFileSync(join(dataDir, 'preferences.json'), JSON.stringify({ version: 1, port, ...preferences }));
  const child = spawn(process.execPath, ['--import', pathToFileURL(registerHook).href, join(repoRoot, 'dist', 'desktop', 'main.js'), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_CONFIG_HOME: join(home, '.config'),
      NODE_ENV: 'production',
      CANOPY_STAND_IN_APP_PATH: repoRoot,
      CANOPY_ELECTRON_STAND_IN: pathToFileURL(standInOut).href,
      ...env,
    },
  });
  return new DesktopApp(child);
}
