// A value PostgreSQL cannot store (a NUL character) in an admin request is a 400 that says what to
// remove, not an internal error; nothing is stored.
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../support/gateway.ts';
import { stdioConfigs } from '../support/upstreams.ts';

describe('text the database cannot store', () => {
  it.each(['sqlite', 'postgres'] as const)('is refused with a clear 400 on %s, or stored as sent', async (storeKind) => {
    const t = await startTestGateway({ storeKind });
    try {
      const config = { ...stdioConfigs.everything('nul'), description: 'before\u0000after' };
      const outcome = await t.api.registerServer({ config, enabled: false }).then(
        (result) => result.server.description,
        (error: unknown) => error,
      );
      if (storeKind === 'sqlite') expect(outcome).toBe('before\u0000after');
      else {
        expect(outcome).toMatchObject({ status: 400, code: 'bad_request' });
        expect((outcome as Error).message).toMatch(/NUL/);
        expect(await t.api.listServers()).toEqual([]);
      }
    } finally {
      await t.close();
    }
  });
});
