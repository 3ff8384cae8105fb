// Opens the user's browser at the authorization URL for the CLI. The CLI prints the URL as well, so
// this never throws: it answers whether some browser (or opener) could be started.
import { spawn, type ChildProcess } from 'node:child_process';

export interface BrowserCommand {
  command: string;
  args: string[];
  /** Windows: pass the arguments to cmd.exe as written (its quoting is not the C runtime's). */
  verbatim?: boolean;
}

/** The commands to try, in order: each `$BROWSER` entry (colon-separated; `%s` marks the URL), else the platform's opener. */
export function browserCommands(url: string, platform: NodeJS.Platform, browserVariable: string | undefined): BrowserCommand[] {
  const fromVariable = (browserVariable ?? '')
    .split(':')
    .map((entry) => entry.trim().split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0)
    .map(([command, ...args]) =>
      args.some((arg) => arg.includes('%s')) || command.includes('%s')
        ? { command: command.replaceAll('%s', url), args: args.map((arg) => arg.replaceAll('%s', url)) }
        : { command, args: [...args, url] },
    );
  if (fromVariable.length > 0) return fromVariable;
  if (platform === 'darwin') return [{ command: 'open', args: [url] }];
  // `start` is a cmd.exe builtin; the empty title keeps it from taking the quoted URL as the title.
  if (platform === 'win32') return [{ command: 'cmd.exe', args: ['/d', '/s', '/c', `"start "" "${url}""`], verbatim: true }];
  return [{ command: 'xdg-open', args: [url] }];
}

export interface OpenBrowserOptions {
  platform?: NodeJS.Platform;
  /** Defaults to `process.env.BROWSER`. */
  browserVariable?: string;
  /** A command still running after this long counts as a started browser. Default 2 s. */
  settleMs?: number;
}

export async function openBrowser(url: string, options: OpenBrowserOptions = {}): Promise<boolean> {
  const commands = browserCommands(url, options.platform ?? process.platform, options.browserVariable ?? process.env.BROWSER);
  for (const command of commands) {
    if (await launch(command, options.settleMs ?? 2000)) return true;
  }
  return false;
}

// Openers (xdg-open, open, start) exit 0 once the browser has the URL; a browser named in $BROWSER
// may keep running instead, which also counts. A missing command or a non-zero exit does not.
function launch({ command, args, verbatim }: BrowserCommand, settleMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: verbatim });
    } catch {
      resolve(false);
      return;
    }
    const settle = (opened: boolean) => {
      clearTimeout(timer);
      child.removeAllListeners();
      child.unref();
      resolve(opened);
    };
    const timer = setTimeout(() => settle(true), settleMs);
    child.once('error', () => settle(false));
    child.once('exit', (code) => settle(code === 0));
  });
}
