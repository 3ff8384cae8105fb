import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../main/core/config/config-error.ts';
import { mcpResourcePath, readSignInSettings, resourceUrl } from '../../main/core/config/sign-in-settings.ts';

describe('enterprise sign-in settings', () => {
  it('are absent without a public URL, so enterprise mode works with static tokens as before', () => {
    expect(readSignInSettings(undefined, {})).toBeUndefined();
  });

  it('take the flag over CANOPY_PUBLIC_URL and read the company IdP', () => {
    const settings = readSignInSettings('https://canopy.example.com', {
      CANOPY_PUBLIC_URL: 'https://other.example.com',
      CANOPY_SSO_ISSUER: 'https://login.example.com/realms/acme/',
      CANOPY_SSO_CLIENT_ID: 'canopy',
      CANOPY_SSO_CLIENT_SECRET: 's3cret',
      CANOPY_SSO_ADMIN_GROUPS: 'platform, sre',
    });
    expect(settings).toEqual({
      publicUrl: 'https://canopy.example.com',
      issuer: 'https://canopy.example.com',
      sso: { issuer: 'https://login.example.com/realms/acme', clientId: 'canopy', clientSecret: 's3cret', groupsClaim: 'groups', adminGroups: ['platform', 'sre'] },
    });
  });

  it.each([
    ['http://canopy.example.com', 'https URL'],
    ['https://canopy.example.com/gateway', 'without a path'],
    ['https://user:pw@canopy.example.com', 'credentials'],
    ['not a url', 'is not a URL'],
  ])('refuse the public URL %s', (value, message) => {
    expect(() => readSignInSettings(value, {})).toThrow(ConfigError);
    expect(() => readSignInSettings(value, {})).toThrow(message);
  });

  it('accept plain http for loopback only, and refuse an IdP without a client ID or a public URL', () => {
    expect(readSignInSettings(undefined, { CANOPY_PUBLIC_URL: 'http://127.0.0.1:7450/' })?.publicUrl).toBe('http://127.0.0.1:7450');
    expect(() => readSignInSettings('https://canopy.example.com', { CANOPY_SSO_ISSUER: 'https://idp.example.com' })).toThrow('CANOPY_SSO_CLIENT_ID');
    expect(() => readSignInSettings(undefined, { CANOPY_SSO_ISSUER: 'https://idp.example.com' })).toThrow('needs a public URL');
  });

  it('read an external authorization server, which needs a public URL too', () => {
    expect(readSignInSettings('https://canopy.example.com', { CANOPY_AUTH_ISSUER: 'https://auth.example.com/realms/acme/' })?.externalAuth).toEqual({
      issuer: 'https://auth.example.com/realms/acme',
      userClaim: 'preferred_username',
    });
    expect(readSignInSettings('https://canopy.example.com', { CANOPY_AUTH_ISSUER: 'https://auth.example.com', CANOPY_AUTH_USER_CLAIM: 'email' })?.externalAuth?.userClaim).toBe('email');
    expect(() => readSignInSettings(undefined, { CANOPY_AUTH_ISSUER: 'https://auth.example.com' })).toThrow('needs a public URL');
    expect(() => readSignInSettings('https://canopy.example.com', { CANOPY_AUTH_ISSUER: 'http://auth.example.com' })).toThrow('CANOPY_AUTH_ISSUER must be an https URL');
  });

  it('name resource URLs from the configuration and recognize only exact MCP endpoint URLs', () => {
    const settings = readSignInSettings('https://canopy.example.com', {})!;
    expect(resourceUrl(settings, '/servers/github/mcp')).toBe('https://canopy.example.com/servers/github/mcp');
    for (const path of ['/mcp', '/mcp/search', '/servers/github/mcp', '/groups/dev/mcp', '/groups/dev/mcp/search', '/sse']) {
      expect(mcpResourcePath(settings, `https://canopy.example.com${path}`)).toBe(path);
    }
    for (const resource of [
      'https://evil.example.com/mcp',
      'https://canopy.example.com/mcp/',
      'https://canopy.example.com/mcp?x=1',
      'https://canopy.example.com/servers/a%2Fb/mcp',
      'https://canopy.example.com/api/v0/servers',
      'https://canopy.example.com:444/mcp',
      'https://canopy.example.com/servers/../mcp',
    ]) {
      expect(mcpResourcePath(settings, resource)).toBeUndefined();
    }
  });
});
