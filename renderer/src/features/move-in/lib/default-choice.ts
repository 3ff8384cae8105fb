// Which servers start ticked: each server once (the first app holding it), and none Canopy has already.
import type { AppScanView } from '@core/api/contract.ts';

export type Choice = Record<string, string[]>;

export function defaultChoice(apps: readonly AppScanView[]): Choice {
  const seen = new Set<string>();
  const choice: Choice = {};
  for (const app of apps) {
    choice[app.app] = app.servers
      .filter((server) => {
        const key = server.target || server.name;
        const first = !seen.has(key);
        seen.add(key);
        return first && !server.registered && !server.error;
      })
      .map((server) => server.name);
  }
  return choice;
}
