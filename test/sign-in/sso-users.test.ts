// Which Canopy user a company login becomes: linking hands over an existing account, so it follows
// only users made for SSO (no token), and only claims the IdP vouches for (the username, or an
// email it marks verified).
import { describe, expect, it } from 'vitest';
import { freshSqlite, freshStoreEachTest } from '../support/databases.ts';
import { userForLogin } from '../../main/core/sign-in/sso-users.ts';
import type { SsoSettings } from '../../main/core/config/sign-in-settings.ts';

const SSO: SsoSettings = { issuer: 'https://idp.example.com', clientId: 'canopy', groupsClaim: 'groups', adminGroups: ['platform'] };

describe('company logins as Canopy users', () => {
  const current = freshStoreEachTest(freshSqlite);

  it('link a user pre-created for SSO by the username or a verified email, never a user with a token, never by an unverified email', async () => {
    await current.store.users.insert({ name: 'admin', role: 'admin', tokenHash: 'a'.repeat(64) });
    await current.store.users.insert({ name: 'alice-smith', role: 'user' });
    await current.store.users.insert({ name: 'erin', role: 'admin' });

    const named = await userForLogin(current.store, SSO, { sub: 'x0', preferred_username: 'admin@contractor.example' }, []);
    expect(named).toMatchObject({ ok: true, user: { name: 'admin-2', role: 'user' } });
    const unverified = await userForLogin(current.store, SSO, { sub: 'x1', email: 'erin@corp.example' }, []);
    expect(unverified).toMatchObject({ ok: true, user: { name: 'erin-2', role: 'user' } });
    expect((await current.store.users.get('admin'))?.ssoSubject).toBeUndefined();
    expect((await current.store.users.get('erin'))?.ssoSubject).toBeUndefined();

    const verified = await userForLogin(current.store, SSO, { sub: 'x2', email: 'alice.smith@corp.example', email_verified: true }, []);
    expect(verified).toMatchObject({ ok: true, user: { name: 'alice-smith' }, changed: true });
    expect((await current.store.users.get('alice-smith'))?.ssoSubject).toBe('https://idp.example.com|x2');
    const byUsername = await userForLogin(current.store, SSO, { sub: 'x3', preferred_username: 'erin' }, []);
    expect(byUsername).toMatchObject({ ok: true, user: { name: 'erin', role: 'admin' }, changed: true });
  });

  it('create a new user named after the username, admin through a listed group, and find them again by subject', async () => {
    const first = await userForLogin(current.store, SSO, { sub: 's1', preferred_username: 'dana@corp.example' }, ['platform']);
    expect(first).toMatchObject({ ok: true, user: { name: 'dana', role: 'admin' }, changed: true });
    const again = await userForLogin(current.store, SSO, { sub: 's1', preferred_username: 'renamed' }, []);
    expect(again).toMatchObject({ ok: true, user: { name: 'dana', role: 'admin' }, changed: false });
  });
});
