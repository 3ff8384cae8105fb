// Whether a gateway keeps metrics, apart from telemetry/metrics.ts: the OpenTelemetry packages
// (about 14 MB of memory) load only when it does.
import type { GatewayMode } from '../model/gateway-mode.ts';

/** On by default in enterprise mode, off in development mode; OTEL_ENABLED=true|false overrides. */
export function metricsEnabled(mode: GatewayMode, env: NodeJS.ProcessEnv): boolean {
  const setting = env.OTEL_ENABLED?.trim().toLowerCase();
  if (setting === 'true' || setting === '1') return true;
  if (setting === 'false' || setting === '0') return false;
  return mode === 'enterprise';
}
