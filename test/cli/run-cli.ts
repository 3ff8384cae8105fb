// Runs the real `canopy` command (node bin/canopy.mjs …) as a child process, bounded in time.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const canopyBin = fileURLToPath(new URL('../../bin/canopy.mjs', import.meta.url));

/**
 * This process's environment for a `canopy` child, cut off from the user's: no inherited
 * CANOPY_TOKEN/CANOPY_REGISTRY, the CLI settings file under `dir`, and `registry` when given.
 */
export function isolatedCliEnv(dir: string, registry?: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { CANOPY_TOKEN: _token, CANOPY_REGISTRY: _registry, ...base } = process.env;
  return { ...base, ...(registry ? { CANOPY_REGISTRY: registry } : {}), XDG_CONFIG_HOME: join(dir, 'config'), ...extra };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv, cwd = repoRoot, stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  return spawn(process.execPath, [canopyBin, ...args], { env, cwd, stdio: [stdin, 'pipe', 'pipe'] });
}

/** `input`: written to the command's stdin (then closed); without it stdin is closed from the start. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 25_000, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env, repoRoot, input === undefined ? 'ignore' : 'pipe');
    child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`canopy ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves with the first match of `pattern` in the child's stdout (bounded), rejects on exit. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) done(undefined, match);
    };
    const onExit = (code: number | null) => done(new Error(`exited (${code}) before ${pattern}:\n${output}`));
    const done = (error?: Error, match?: RegExpMatchArray) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(match!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** The one `error: …` line a failing command prints. */
export function errorOf(result: CliResult): string {
  const lines = result.stderr.trim().split('\n');
  return lines[lines.length - 1];
}
