// Quitting (menu, Cmd-Q, OS shutdown, signals) first stops the gateway — every upstream child —
// and only then lets the app exit; a hung stop cannot keep Canopy alive past the time limit.
import { withinTime, type BoundedResult } from '../gateway/bounded.ts';

export interface QuitGuardOptions {
  stop: () => Promise<unknown>;
  timeoutMs: number;
  /** Called once the stop finished (or timed out): exit for real now. */
  exit: (result: BoundedResult) => void;
}

export interface QuitGuard {
  /** For before-quit / will-quit: holds the quit until the stop is done. */
  onQuitRequested(event: { preventDefault(): void }): void;
  /** Resolves when the stop finished; starts it when nothing else did (OS shutdown, signals). */
  stopNow(): Promise<BoundedResult>;
}

export function createQuitGuard({ stop, timeoutMs, exit }: QuitGuardOptions): QuitGuard {
  let stopping: Promise<BoundedResult> | undefined;
  let done = false;
  const stopNow = () =>
    (stopping ??= withinTime(stop, timeoutMs).then((result) => {
      done = true;
      exit(result);
      return result;
    }));
  return {
    onQuitRequested(event) {
      if (done) return;
      event.preventDefault();
      void stopNow();
    },
    stopNow,
  };
}
