// The SDK's HTTP transports pass one long-lived AbortSignal (aborted when the transport closes) to
// every request. fetch hangs a listener on a request's signal that goes only when the request is
// garbage-collected, and Node walks a signal's listeners on every add (undici counts them too): on
// a busy upstream each request paid for thousands of them. Instead each request gets a signal of
// its own, and the shared signal one listener that aborts the requests still running.

export interface RequestSignal {
  signal: AbortSignal;
  /** The request is over (its body read, cancelled or failed): the shared signal no longer concerns it. */
  done(): void;
}

export class RequestSignals {
  private readonly running = new WeakMap<AbortSignal, Set<AbortController>>();

  /** A signal of its own for a request given `shared`; none when there is none to follow. */
  follow(shared: AbortSignal | null | undefined): RequestSignal | undefined {
    if (!shared || shared.aborted) return undefined;
    let controllers = this.running.get(shared);
    if (!controllers) {
      const set = new Set<AbortController>();
      controllers = set;
      this.running.set(shared, set);
      shared.addEventListener(
        'abort',
        () => {
          for (const controller of set) controller.abort(shared.reason);
          set.clear();
        },
        { once: true },
      );
    }
    const controller = new AbortController();
    const running = controllers;
    running.add(controller);
    return { signal: controller.signal, done: () => running.delete(controller) };
  }
}
