// Real MCP servers from npm, run with `node` (never `npx -y`), for tests and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

export const everythingEntry = join(packageDir('@modelcontextprotocol/server-everything'), 'dist', 'index.js');
export const memoryEntry = join(packageDir('@modelcontextprotocol/server-memory'), 'dist', 'index.js');
export const filesystemEntry = join(packageDir('@modelcontextprotocol/server-filesystem'), 'dist', 'index.js');
export const sequentialThinkingEntry = join(packageDir('@modelcontextprotocol/server-sequential-thinking'), 'dist', 'index.js');

/** Server configs (MCPJungle format) for the stdio servers. */
export const stdioConfigs = {
  everything: (name = 'everything') => ({ name, transport: 'stdio' as const, command: process.execPath, args: [everythingEntry, 'stdio'] }),
  memory: (name = 'memory', memoryFile?: string) => ({
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [memoryEntry],
    ...(memoryFile ? { env: { MEMORY_FILE_PATH: memoryFile } } : {}),
  }),
  filesystem: (root: string, name = 'filesystem') => ({
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [filesystemEntry, root],
  }),
  sequentialThinking: (name = 'sequential-thinking') => ({
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [sequentialThinkingEntry],
  }),
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningHttpUpstream {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts server-everything's streamable-HTTP (or SSE) mode on a free loopback port (or `port`). */
export async function startEverythingHttp(mode: 'streamableHttp' | 'sse' = 'streamableHttp', port?: number): Promise<RunningHttpUpstream> {
  const chosen = port ?? (await freePort());
  const path = mode === 'sse' ? '/sse' : '/mcp';
  return startListeningChild([everythingEntry, mode], { PORT: String(chosen) }, chosen, path, `server-everything ${mode}`);
}

/** Spawns `node ARGS` and waits (15 s at most) until it says it listens on `port`. */
export async function startListeningChild(args: string[], env: Record<string, string>, port: number, path: string, what: string): Promise<RunningHttpUpstream> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening on port|running on port/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}):\n${output}`));
    });
  });
  await ready;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    port,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
