// Builds the renderer into dist/renderer once, when it is missing or older than its sources. A lock
// directory keeps parallel test files from building at the same time.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const rendererDir = join(repoRoot, 'dist', 'renderer');
const builtIndex = join(rendererDir, 'index.html');
const lockDir = join(repoRoot, 'dist', '.renderer-build.lock');
const STALE_LOCK_MS = 120_000;

/** Everything the bundle is built from: the renderer and the shared code it imports. */
const SOURCES = ['renderer', 'vite.config.ts', 'preload/canopy-bridge.ts', 'main/core/api', 'main/core/config', 'main/core/connect-apps', 'main/core/model'];

function newestMtime(path: string): number {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

function isFresh(): boolean {
  let built: number;
  try {
    built = statSync(builtIndex).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((source) => newestMtime(resolve(repoRoot, source)) <= built);
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(join(repoRoot, 'dist'), { recursive: true });
  const deadline = Date.now() + STALE_LOCK_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      const age = Date.now() - (statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS || Date.now() > deadline) rmSync(lockDir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Vitest sets NODE_ENV=test, which would make Vite bundle React's development build. */
async function productionBuild(): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

export async function ensureRendererBuilt(): Promise<string> {
  if (isFresh()) return rendererDir;
  await withLock(async () => {
    if (!isFresh()) await productionBuild();
  });
  return rendererDir;
}
