// The SDK transport for a supervised stdio server: spawns the child in its own process group (so
// stop kills everything it started), registers that group with the orphan watchdog, reads JSON-RPC
// from stdout and hands stderr out line by line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { deserializeMessage, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import type { SpawnPlan } from './command-resolution.ts';
import { LineSplitter } from './log-ring.ts';
import { answerOversized, BoundedLineReader, DEFAULT_MAX_RESPONSE_BYTES, tooLargeText, type OversizedMessage } from './message-size.ts';
import { orphanWatchdog } from './orphan-watchdog.ts';
import { DEFAULT_KILL_GRACE_MS, killProcessGroup } from './process-group.ts';

export interface StdioProcessTransportOptions {
  plan: SpawnPlan;
  env: NodeJS.ProcessEnv;
  /** The child's working directory. */
  cwd: string;
  onStderrLine: (line: string) => void;
  killGraceMs?: number;
  /** The server's name, for the error a too large message turns into. */
  serverName: string;
  /** Longest stdout line (one JSON-RPC message) read; default 10 MB. */
  maxMessageBytes?: number;
}

export class StdioProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly reader: BoundedLineReader;
  private exited: Promise<void> | undefined;
  private closed = false;
  /** How the child ended ("exited with code 1", "killed by SIGKILL"), once it has. */
  exitDescription: string | undefined;

  constructor(private readonly options: StdioProcessTransportOptions) {
    this.reader = new BoundedLineReader(
      options.maxMessageBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      (line) => this.receiveLine(line),
      (found) => this.receiveOversized(found),
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('StdioProcessTransport already started');
    const { plan, env, cwd } = this.options;
    const child = spawn(plan.file, plan.args, {
      env,
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Own process group on POSIX; on Windows `detached` would open a console window instead.
      detached: process.platform !== 'win32',
      windowsHide: true,
      windowsVerbatimArguments: plan.windowsVerbatimArguments,
    });
    this.child = child;
    const stderr = new LineSplitter(this.options.onStderrLine);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => stderr.write(chunk));
    child.stderr.on('end', () => stderr.end());
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    for (const stream of [child.stdin, child.stdout, child.stderr]) stream.on('error', (error) => this.onerror?.(error));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (child.pid) orphanWatchdog.unwatch(child.pid);
        resolve();
        this.finish();
      });
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        if (child.pid) orphanWatchdog.watch(child.pid);
        resolve();
      });
      child.once('error', (error) => {
        // A spawn failure (the command was resolved beforehand, so this is rare: permissions, a race).
        this.exitDescription = `could not be started: ${error.message}`;
        reject(error);
        this.finish();
      });
    });
  }

  private receive(chunk: Buffer): void {
    this.reader.write(chunk);
  }

  private receiveLine(line: Buffer): void {
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line.toString('utf8').replace(/\r$/, ''));
    } catch (error) {
      // A line that is not JSON-RPC (a server printing to stdout): report it, read on. If it was
      // meant as a response (JSON with an id, no method), the call it answers fails now instead of
      // waiting for its timeout.
      this.onerror?.(error as Error);
      const id = malformedResponseId(line);
      if (id !== undefined) {
        const message = `server '${this.options.serverName}' sent a malformed response (not valid JSON-RPC)`;
        this.onmessage?.({ jsonrpc: '2.0', id, error: { code: -32603, message } } as JSONRPCMessage);
      }
      return;
    }
    this.onmessage?.(message);
  }

  /** A line over the limit was skipped: the call it answers fails now, with an error naming the limit. */
  private receiveOversized(found: OversizedMessage): void {
    const limit = this.options.maxMessageBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const text = tooLargeText(this.options.serverName, limit);
    const { toClient, toServer } = answerOversized(found, text, limit);
    this.onerror?.(new Error(text));
    if (toServer) this.send(toServer).catch(() => {});
    if (toClient) this.onmessage?.(toClient);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable || this.closed) return Promise.reject(new Error('Not connected'));
    return new Promise((resolve) => {
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Kills the whole process group: SIGTERM, then SIGKILL after the grace period. */
  async close(): Promise<void> {
    const child = this.child;
    if (child?.pid && !this.closed) {
      child.stdin.end();
      await killProcessGroup(child.pid, this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
      await this.exited;
    }
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    // The leader is gone; anything it left in its group goes too, with the usual grace to exit
    // cleanly. (Not on Windows: without a group, the pid alone could by now name an unrelated process.)
    const pid = this.child?.pid;
    if (pid && process.platform !== 'win32') void killProcessGroup(pid, this.options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    this.reader.clear();
    this.onclose?.();
  }
}

/** The id of a line that parses as a JSON object with an id and no method: a response gone wrong. */
function malformedResponseId(line: Buffer): string | number | undefined {
  try {
    const value = JSON.parse(line.toString('utf8')) as { id?: unknown; method?: unknown } | null;
    if (!value || typeof value !== 'object' || 'method' in value) return undefined;
    return typeof value.id === 'string' || typeof value.id === 'number' ? value.id : undefined;
  } catch {
    return undefined;
  }
}
