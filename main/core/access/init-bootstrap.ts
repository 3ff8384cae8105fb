// Who may initialize an enterprise gateway. MCPJungle let whoever called /init first become admin;
// here initialization needs the bootstrap secret the operator controls (CANOPY_INIT_TOKEN, else one
// generated at start and shown in the `canopy serve` banner), or a direct loopback connection when
// CANOPY_INIT_TOKEN is not set. A request relayed by a proxy (X-Forwarded-For / Forwarded) does not
// count as loopback, since every proxied request arrives from the proxy's address.
import { randomBytes } from 'node:crypto';
import { isLoopbackHostname } from '../config/loopback.ts';
import { hashToken, sameHash } from './tokens.ts';

export class InitBootstrap {
  /** Printed in the log when generated; undefined when the operator set CANOPY_INIT_TOKEN. */
  readonly generatedSecret: string | undefined;
  private readonly secretHash: string;
  private readonly loopbackAllowed: boolean;

  constructor(configured: string | undefined) {
    this.loopbackAllowed = !configured;
    this.generatedSecret = configured ? undefined : randomBytes(24).toString('base64url');
    this.secretHash = hashToken(configured ?? this.generatedSecret!);
  }

  permits(request: { initToken?: string; remoteAddress?: string; proxied: boolean }): boolean {
    if (request.initToken !== undefined) return sameHash(hashToken(request.initToken), this.secretHash);
    return this.loopbackAllowed && !request.proxied && isLoopbackAddress(request.remoteAddress);
  }
}

function isLoopbackAddress(address: string | undefined): boolean {
  return Boolean(address) && isLoopbackHostname(address!.replace(/^::ffff:/i, ''));
}
