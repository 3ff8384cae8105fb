// A 2026-07-28 client in front of a 2025 server. The 2025 server asks for sampling, elicitation or
// roots by sending requests while a call runs; a 2026 client cannot receive requests, it is asked
// through an `input_required` result and answers by retrying the call with `inputResponses` and
// the `requestState` it was given. The bridge keeps the upstream call running between the rounds:
// what the server asks becomes the `inputRequests` of exactly the caller whose call it belongs to
// (the request-origin routing of the upstream connection), and the caller's answers go back to the
// server as the answers to its requests.
// The running call lives in this process, so a retry must reach the same gateway (a 2025 server's
// call cannot move either); a retry elsewhere gets "unknown requestState" and the client starts over.
import { randomBytes } from 'node:crypto';
import type { RequestOrigin } from '../upstream/request-origins.ts';
import { JsonRpcError } from '../upstream/json-rpc-error.ts';

/** The server→client requests that become input requests (the 2026 era carries them in-band), with the client capability each needs. */
const IN_BAND_METHODS: Record<string, string | undefined> = { 'sampling/createMessage': 'sampling', 'elicitation/create': 'elicitation', 'roots/list': 'roots' };
/** MCP 2026-07-28: the request needs a capability the client did not declare. */
const MISSING_CLIENT_CAPABILITY = -32021;

/** What one round of a bridged call ends in. */
export type RoundOutcome<R> =
  | { kind: 'complete'; result: R }
  | { kind: 'input_required'; inputRequests: Record<string, { method: string; params?: Record<string, unknown> }>; requestState: string };

/** How long a call waits for the caller's retry before it is abandoned (its server requests fail). */
const ANSWER_TIMEOUT_MS = 5 * 60_000;
/** Calls waiting for answers at once, for all callers together; more are refused. */
const MAX_WAITING = 1_000;
const INVALID_PARAMS = -32602;

interface Asked {
  method: string;
  params?: Record<string, unknown>;
  answer: (result: Record<string, unknown>) => void;
  fail: (error: Error) => void;
}

/** One upstream call made for a 2026 caller, with what its server asked and nobody has answered yet. */
class BridgedCall<R> {
  readonly outstanding = new Map<string, Asked>();
  private nextKey = 1;
  private wake: (() => void) | undefined;
  private settled: { ok: true; result: R } | { ok: false; error: unknown } | undefined;
  /** The server asked for something the caller cannot answer: the call ends with this error for the caller. */
  refusal: JsonRpcError | undefined;
  readonly abort = new AbortController();
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly identity: string | undefined,
    /** Which in-band requests the caller declared it can answer (its per-request client capabilities). */
    public accepts: (method: string) => boolean,
    run: (origin: RequestOrigin, signal: AbortSignal) => Promise<R>,
  ) {
    const origin: RequestOrigin = { answer: (request, signal) => this.ask(request.method, request.params as Record<string, unknown> | undefined, signal) };
    run(origin, this.abort.signal).then(
      (result) => this.settle({ ok: true, result }),
      (error: unknown) => this.settle({ ok: false, error }),
    );
  }

  private settle(outcome: NonNullable<BridgedCall<R>['settled']>): void {
    this.settled = outcome;
    this.wake?.();
  }

  private ask(method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<Record<string, unknown>> {
    const capability = IN_BAND_METHODS[method];
    if (!capability) return Promise.reject(new JsonRpcError(-32601, `Canopy does not relay '${method}'`));
    if (!this.accepts(method)) {
      this.refusal ??= new JsonRpcError(MISSING_CLIENT_CAPABILITY, `the server asked for ${method}, which needs the client capability '${capability}' this request did not declare`, {
        requiredCapabilities: { [capability]: {} },
      });
      this.wake?.();
      return Promise.reject(new JsonRpcError(-32600, `the client this ${method} is for did not declare the capability it needs`));
    }
    return new Promise((resolve, reject) => {
      const key = `canopy-${this.nextKey++}`;
      const forget = () => this.outstanding.delete(key);
      this.outstanding.set(key, { method, params, answer: (result) => (forget(), resolve(result)), fail: (error) => (forget(), reject(error)) });
      signal.addEventListener('abort', () => (forget(), reject(signal.reason as Error)), { once: true });
      this.wake?.();
    });
  }

  /** Waits until the call has finished or asks something; answers asked in the same moment travel together. */
  async nextEvent(): Promise<void> {
    if (!this.settled && !this.refusal && this.outstanding.size === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    // Requests sent together (several in one turn) become one round, not one round each.
    await new Promise((resolve) => setImmediate(resolve));
  }

  outcome(): { ok: true; result: R } | { ok: false; error: unknown } | undefined {
    return this.settled;
  }
}

export class InputRequiredBridge {
  private readonly waiting = new Map<string, BridgedCall<unknown>>();

  /**
   * Starts an upstream call for a 2026 caller. `run` sends it with `origin`, so the server's requests
   * for this call come here; `accepts` says which of them the caller can answer.
   */
  start<R>(identity: string | undefined, accepts: (method: string) => boolean, run: (origin: RequestOrigin, signal: AbortSignal) => Promise<R>): Promise<RoundOutcome<R>> {
    if (this.waiting.size >= MAX_WAITING) {
      throw new JsonRpcError(-32603, `Canopy has ${this.waiting.size} calls waiting for their clients' answers, its limit: try again in a moment`);
    }
    return this.round(new BridgedCall(identity, accepts, run));
  }

  /** A caller's retry: its answers go to the server's outstanding requests, and the call goes on. */
  resume<R>(requestState: string, identity: string | undefined, accepts: (method: string) => boolean, inputResponses: Record<string, unknown> | undefined): Promise<RoundOutcome<R>> {
    const call = this.waiting.get(requestState) as BridgedCall<R> | undefined;
    if (!call || call.identity !== identity) {
      throw new JsonRpcError(INVALID_PARAMS, 'unknown or expired requestState: call again without requestState and inputResponses');
    }
    this.waiting.delete(requestState);
    clearTimeout(call.timer);
    call.accepts = accepts;
    for (const [key, response] of Object.entries(inputResponses ?? {})) {
      const asked = call.outstanding.get(key);
      if (asked && response && typeof response === 'object') asked.answer(response as Record<string, unknown>);
    }
    return this.round(call);
  }

  /** Abandons every waiting call (shutdown). */
  close(): void {
    for (const [state, call] of this.waiting) this.abandon(state, call, 'Canopy is shutting down');
  }

  private async round<R>(call: BridgedCall<R>): Promise<RoundOutcome<R>> {
    await call.nextEvent();
    if (call.refusal) {
      call.abort.abort(call.refusal);
      throw call.refusal;
    }
    const outcome = call.outcome();
    if (outcome) {
      if (!outcome.ok) throw outcome.error;
      return { kind: 'complete', result: outcome.result };
    }
    const inputRequests = Object.fromEntries([...call.outstanding].map(([key, asked]) => [key, { method: asked.method, ...(asked.params ? { params: asked.params } : {}) }]));
    const requestState = randomBytes(24).toString('base64url');
    this.waiting.set(requestState, call as BridgedCall<unknown>);
    call.timer = setTimeout(() => this.abandon(requestState, call as BridgedCall<unknown>, 'the client did not answer in time'), ANSWER_TIMEOUT_MS);
    call.timer.unref();
    return { kind: 'input_required', inputRequests, requestState };
  }

  private abandon(requestState: string, call: BridgedCall<unknown>, why: string): void {
    this.waiting.delete(requestState);
    clearTimeout(call.timer);
    for (const asked of [...call.outstanding.values()]) asked.fail(new JsonRpcError(-32603, why));
    call.abort.abort(new Error(why));
  }
}
