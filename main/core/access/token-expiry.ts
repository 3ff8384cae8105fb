// Closes what an expired token still holds open. Every request with an expired token is refused at
// the edge, but an open GET stream sends no new request: one timer, set for the earliest expiry,
// closes that identity's sessions and streams the moment its token expires, the way revocation does.
import type { AccessControl } from './access-control.ts';

/** setTimeout's ceiling (~24.8 days); a later expiry re-arms when the timer fires. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class TokenExpiryTimer {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly access: AccessControl,
    private readonly closeSessionsOf: (identities: string[]) => Promise<void>,
  ) {}

  /** Arms the timer for the earliest expiry; call after every access reload. */
  arm(): void {
    clearTimeout(this.timer);
    const next = this.access.nextExpiry();
    if (next === undefined) return;
    this.timer = setTimeout(() => void this.fire(), Math.min(Math.max(0, next - Date.now()), MAX_DELAY_MS));
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async fire(): Promise<void> {
    await this.closeSessionsOf(this.access.expiredIdentities()).catch(() => {});
    if (this.timer) this.arm();
  }
}
