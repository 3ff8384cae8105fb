// What clicking a server's checkbox does: enable or disable it at once, then tell the user what
// needs doing when the result is not simply "on" or "off".
import type { Gateway } from '../../core/index.ts';
import { serverView } from '../../core/api/server-views.ts';
import { serverRoute } from './menu-model.ts';

export interface ToggleOutcome {
  ok: boolean;
  /** Shown to the user (a notification or dialog) when set. */
  message?: string;
  /** Open the window here (e.g. to authorize). */
  openRoute?: string;
}

export async function toggleServer(registry: Pick<Gateway['registry'], 'setServerEnabled'>, name: string, enabled: boolean): Promise<ToggleOutcome> {
  try {
    const server = serverView(await registry.setServerEnabled(name, enabled));
    if (enabled && server.state.status === 'needs_authorization') {
      return { ok: true, message: `${name} needs authorization: finish it in the browser window Canopy opens.`, openRoute: serverRoute(name) };
    }
    if (enabled && server.state.status === 'error') {
      return { ok: true, message: `${name} is enabled but cannot start: ${server.state.lastError ?? 'see its log in Canopy'}`, openRoute: serverRoute(name) };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, message: `Could not ${enabled ? 'enable' : 'disable'} ${name}: ${(error as Error).message}` };
  }
}
