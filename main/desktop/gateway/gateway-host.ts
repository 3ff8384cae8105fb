// Owns the in-process gateway: start, stop (bounded), and replace it with one on other options
// (another store or port), going back to the previous options when the new ones fail. Operations
// run one at a time. No Electron here: the tray and window listen to `changed`.
import { EventEmitter } from 'node:events';
import type { Gateway, GatewayOptions } from '../../core/index.ts';
import type { GatewayPhase } from '../tray/labels.ts';
import { withinTime, type BoundedResult } from './bounded.ts';
import { DataDirInUseError } from '../../core/data-dir-lock.ts';

export type CreateGateway = (options: GatewayOptions) => Promise<Gateway>;

export type ReplaceOutcome =
  | { ok: true }
  | { ok: false; error: Error; restored: true }
  | { ok: false; error: Error; restored: false; restoreError: Error };

export interface GatewayHostEvents {
  /** The phase changed, or the running gateway reported a change (servers, states, catalogs). */
  changed: [];
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export class GatewayHost extends EventEmitter<GatewayHostEvents> {
  private current: Gateway | undefined;
  /** Another process's gateway on our data dir (e.g. `canopy serve`), used instead of starting one. */
  private external: string | undefined;
  private currentOptions: GatewayOptions | undefined;
  private state: GatewayPhase = { phase: 'stopped' };
  private queue: Promise<unknown> = Promise.resolve();
  private readonly relay = () => this.emit('changed');

  constructor(
    private readonly create: CreateGateway,
    private readonly stopTimeoutMs = DEFAULT_STOP_TIMEOUT_MS,
  ) {
    super();
  }

  get phase(): GatewayPhase {
    return this.state;
  }

  /** The running gateway, if any. */
  get gateway(): Gateway | undefined {
    return this.state.phase === 'running' ? this.current : undefined;
  }

  /** Base URL of the gateway in use: ours, or the one already running on our data dir. */
  get url(): string | undefined {
    if (this.state.phase !== 'running') return undefined;
    return this.current?.url ?? this.external;
  }

  /** The options the gateway runs (or last tried to run) with; they may hold a database password. */
  get options(): GatewayOptions | undefined {
    return this.currentOptions;
  }

  private setPhase(phase: GatewayPhase): void {
    this.state = phase;
    this.emit('changed');
  }

  private serial<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.queue.then(operation, operation);
    this.queue = next.catch(() => {});
    return next;
  }

  private async startNow(options: GatewayOptions): Promise<void> {
    this.currentOptions = options;
    this.setPhase({ phase: 'starting' });
    let gateway: Gateway | undefined;
    try {
      gateway = await this.create(options);
      await gateway.start();
    } catch (error) {
      if (error instanceof DataDirInUseError && error.holder.url) {
        this.external = error.holder.url;
        this.setPhase({ phase: 'running', mcpUrl: `${error.holder.url}/mcp` });
        return;
      }
      // A half-started gateway may hold the store open or children running.
      const created = gateway;
      if (created) await withinTime(() => created.stop(), this.stopTimeoutMs);
      this.setPhase({ phase: 'failed', message: asError(error).message });
      throw error;
    }
    this.current = gateway;
    gateway.events.on('changed', this.relay);
    this.setPhase({ phase: 'running', mcpUrl: `${gateway.url}/mcp` });
  }

  private async stopNow(): Promise<BoundedResult> {
    const gateway = this.current;
    if (!gateway) {
      if (this.external) this.setPhase({ phase: 'stopped' });
      this.external = undefined;
      return 'done';
    }
    this.setPhase({ phase: 'stopping' });
    gateway.events.off('changed', this.relay);
    this.current = undefined;
    const result = await withinTime(() => gateway.stop(), this.stopTimeoutMs);
    this.setPhase({ phase: 'stopped' });
    return result;
  }

  /** Starts on `options`; rejects (phase `failed`) when the gateway cannot start. */
  start(options: GatewayOptions): Promise<void> {
    return this.serial(async () => {
      await this.stopNow();
      await this.startNow(options);
    });
  }

  /** Stops every upstream and closes the store; gives up waiting after the stop timeout. */
  stop(): Promise<BoundedResult> {
    return this.serial(() => this.stopNow());
  }

  /** Restarts on `next`; when that fails, restarts on the previous options and says so. */
  replace(next: GatewayOptions): Promise<ReplaceOutcome> {
    return this.serial(async (): Promise<ReplaceOutcome> => {
      const previous = this.currentOptions;
      await this.stopNow();
      try {
        await this.startNow(next);
        return { ok: true };
      } catch (error) {
        if (!previous) return { ok: false, error: asError(error), restored: false, restoreError: new Error('there was no previous configuration') };
        try {
          await this.startNow(previous);
          return { ok: false, error: asError(error), restored: true };
        } catch (restoreError) {
          return { ok: false, error: asError(error), restored: false, restoreError: asError(restoreError) };
        }
      }
    });
  }
}
