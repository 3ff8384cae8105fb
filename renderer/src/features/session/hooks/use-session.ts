// Connects to the gateway: through the desktop bridge in the app, same-origin in the browser. A 401
// (enterprise mode without a valid token) asks for a token, or an SSO sign-in when the gateway offers
// one; the token is kept for this tab only, the SSO session in an HttpOnly cookie the browser sends.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AdminClient, ApiError } from '@core/api/client.ts';
import type { StatusView } from '@core/api/contract.ts';
import { desktopBridge, type GatewayConnection } from '../../../lib/desktop-bridge.ts';
import { errorMessage } from '../../../lib/error-message.ts';
import { clearToken, readToken, saveToken } from '../lib/token-storage.ts';

export type Session =
  | { phase: 'connecting' }
  | { phase: 'unreachable'; message: string }
  /** An enterprise gateway without an administrator yet: reachable, but nothing works before init. */
  | { phase: 'uninitialized'; message: string }
  | { phase: 'login'; message?: string; sso?: boolean }
  | { phase: 'ready'; client: AdminClient; status: StatusView; connection: GatewayConnection; signedIn: boolean };

export interface SessionControls {
  session: Session;
  retry: () => void;
  signIn: (token: string) => void;
  signOut: () => void;
}

async function resolveConnection(): Promise<GatewayConnection> {
  const bridge = desktopBridge();
  if (bridge) {
    const info = await bridge.connection();
    return { baseUrl: info.gatewayUrl, token: info.token };
  }
  return { baseUrl: '', token: readToken(sessionStorage) };
}

/** Whether the gateway offers "Sign in with SSO" (its /health says so; it needs no token). */
async function offersSso(baseUrl: string): Promise<boolean> {
  try {
    const health = (await (await fetch(`${baseUrl}/health`)).json()) as { ssoSignIn?: boolean };
    return health.ssoSignIn === true;
  } catch {
    return false;
  }
}

export function useSession(): SessionControls {
  const [session, setSession] = useState<Session>({ phase: 'connecting' });
  const [attempt, setAttempt] = useState(0);

  const expire = useCallback(() => {
    clearToken(sessionStorage);
    setSession({ phase: 'login', message: 'Your session needs a valid token. Sign in again.' });
  }, []);

  useEffect(() => {
    let cancelled = false;
    setSession({ phase: 'connecting' });
    void (async () => {
      let connection: GatewayConnection;
      try {
        connection = await resolveConnection();
      } catch (error) {
        // The desktop app's gateway is not running (or the bridge failed): say so instead of waiting forever.
        if (!cancelled) setSession({ phase: 'unreachable', message: errorMessage(error) });
        return;
      }
      const client = new AdminClient({
        baseUrl: connection.baseUrl,
        token: connection.token,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (response.status === 401 && !cancelled) expire();
          return response;
        },
      });
      try {
        const status = await client.status();
        // In the browser an enterprise gateway that answered is signed in: with a token or the SSO cookie.
        const signedIn = !desktopBridge() && (Boolean(connection.token) || status.mode === 'enterprise');
        if (!cancelled) setSession({ phase: 'ready', client, status, connection, signedIn });
      } catch (error) {
        if (cancelled) return;
        if (error instanceof ApiError && error.code === 'not_initialized') {
          setSession({ phase: 'uninitialized', message: error.message });
        } else if (error instanceof ApiError && error.status === 401) {
          const sso = await offersSso(connection.baseUrl);
          if (!cancelled) setSession({ phase: 'login', sso, message: connection.token ? 'That token was not accepted. Check it and try again.' : undefined });
        } else {
          setSession({ phase: 'unreachable', message: errorMessage(error) });
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [attempt, expire]);

  return useMemo(
    () => ({
      session,
      retry: () => setAttempt((n) => n + 1),
      signIn: (token: string) => {
        saveToken(sessionStorage, token.trim());
        setAttempt((n) => n + 1);
      },
      signOut: () => {
        clearToken(sessionStorage);
        // Ends an SSO session too (a no-op without one); then asks again who is there.
        void fetch('/sign-in/ui/sign-out', { method: 'POST' })
          .catch(() => undefined)
          .finally(() => setAttempt((n) => n + 1));
      },
    }),
    [session],
  );
}
