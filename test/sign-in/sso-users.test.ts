// Which Canopy user a company login becomes: linking hands over an existing account, so it follows
// only claims the IdP vouches for (the username, or an email it marks verified).
import { describe, expect, it } from 'vitest';
import { freshSqlite, freshStoreEachTest } from '../support/databases.ts';
import { userForLogin } from '../../main/core/sign-in/sso-users.ts';
import type { SsoSettings } from '../../main/core/config/sign-in-settings.ts';

const SSO: SsoSettings = { issuer: 'https://idp.example.com', clientId: 'canopy', groupsClaim: 'groups', adminGroups: ['platform'] };

describe('company logins as Canopy users', () => {
  const current = freshStoreEachTest(freshSqlite);

  it('link a pre-created user by a verified email, never by an unverified one', async () => {
    await current.store.users.insert({ name: 'admin', role: 'admin', tokenHash: 'a'.repeat(64) });
    await current.store.users.insert({ name: 'alice-smith', role: 'user', tokenHash: 'b'.repeat(64) });

    const unverified = await userForLogin(current.store, SSO, { sub: 'x1', email: 'admin@corp.example' }, []);
    expect(unverified).toMatchObject({ ok: true, user: { name: 'admin-2', role: 'user' } });
    expect((await current.store.users.get('admin'))?.ssoSubject).toBeUndefined();

    const verified = await userForLogin(current.store, SSO, { sub: 'x2', email: 'alice.smith@corp.example', email_verified: true }, []);
    expect(verified).toMatchObject({ ok: true, user: { name: 'alice-smith' }, changed: true });
    expect((await current.store.users.get('alice-smith'))?.ssoSubject).toBe('https://idp.example.com|x2');
  });

  it('create a new user named after the username, admin through a listed group, and find them again by subject', async () => {
    const first = await userForLogin(current.store, SSO, { sub: 's1', preferred_username: 'dana@corp.example' }, ['platform']);
    expect(first).toMatchObject({ ok: true, user: { name: 'dana', role: 'admin' }, changed: true });
    const again = await userForLogin(current.store, SSO, { sub: 's1', preferred_username: 'renamed' }, []);
    expect(again).toMatchObject({ ok: true, user: { name: 'dana', role: 'admin' }, changed: false });
  });
});
