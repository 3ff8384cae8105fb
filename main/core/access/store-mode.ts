// A store belongs to one mode. Development mode has no identities and no allow-lists, so opening an
// enterprise store in development mode would drop every access check; the opposite would lock out
// a desktop install. Both are refused with what to do instead.
import { CanopyError } from '../errors.ts';
import type { GatewayMode } from '../model/gateway-mode.ts';
import type { SettingsRepository } from '../store/settings.ts';

const MODE_SETTING = 'mode';

class ModeMismatchError extends CanopyError {
  constructor(
    readonly stored: GatewayMode,
    readonly requested: GatewayMode,
  ) {
    super(
      'conflict',
      stored === 'enterprise'
        ? 'this database belongs to an enterprise-mode gateway: start Canopy with --enterprise (or CANOPY_MODE=enterprise); development mode would drop its access control'
        : 'this database belongs to a development-mode gateway: start Canopy without --enterprise, or give enterprise mode a database of its own (--database-url)',
    );
  }
}

/** Records the mode on first start; refuses a store that was set up for the other mode. */
export async function claimStoreMode(settings: SettingsRepository, mode: GatewayMode): Promise<void> {
  await settings.claim(MODE_SETTING, mode);
  const stored = (await settings.get(MODE_SETTING)) as GatewayMode | undefined;
  if (stored && stored !== mode) throw new ModeMismatchError(stored, mode);
}
