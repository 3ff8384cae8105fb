import { describe, expect, it } from 'vitest';
import { configFromServerForm, emptyServerForm, serverFormFromConfig, validateServerForm } from '../../../renderer/src/features/servers/lib/server-form.ts';

describe('server form', () => {
  it('builds a stdio config with one argument per line and env pairs', () => {
    const values = { ...emptyServerForm(), name: 'fs', command: ' node ', args: 'server.js\n\n/path with space\n', env: [{ key: 'TOKEN', value: 's3' }, { key: ' ', value: 'x' }] };
    expect(validateServerForm(values)).toEqual({
      config: { name: 'fs', transport: 'stdio', description: undefined, command: 'node', args: ['server.js', '/path with space'], env: { TOKEN: 's3' } },
    });
  });

  it('keeps only the chosen transport’s fields', () => {
    const values = { ...emptyServerForm(), name: 'web', transport: 'sse' as const, command: 'left over', url: 'https://x.test/sse', bearerToken: 't', headers: [{ key: 'X-A', value: 'b' }] };
    expect(configFromServerForm(values)).toEqual({ name: 'web', transport: 'sse', description: undefined, url: 'https://x.test/sse', headers: { 'X-A': 'b' }, bearer_token: 't' });
  });

  it('reports the gateway schema’s problem in one line', () => {
    expect(validateServerForm({ ...emptyServerForm(), name: 'x' })).toEqual({ problem: `invalid server config: field 'command' is required for a stdio server` });
    expect(validateServerForm({ ...emptyServerForm(), name: 'bad name', command: 'node' })).toMatchObject({ problem: expect.stringContaining("field 'name'") });
  });

  it('sets always_on and idle_timeout_seconds of a stdio server, and names a wrong timeout', () => {
    const config = { name: 'm', transport: 'stdio' as const, command: 'node', always_on: true, idle_timeout_seconds: 120 };
    expect(configFromServerForm(serverFormFromConfig(config))).toEqual(config);
    expect(configFromServerForm({ ...emptyServerForm(), name: 'm', command: 'node' })).not.toHaveProperty('always_on', false);
    expect(validateServerForm({ ...emptyServerForm(), name: 'm', command: 'node', idleTimeoutSeconds: '0' })).toMatchObject({
      problem: expect.stringContaining("field 'idle_timeout_seconds' must be at least 1"),
    });
    expect(validateServerForm({ ...emptyServerForm(), name: 'm', command: 'node', idleTimeoutSeconds: 'soon' })).toMatchObject({
      problem: expect.stringContaining("field 'idle_timeout_seconds' must be a number"),
    });
    // Remote servers have no process to stop: the fields are not sent for them.
    expect(configFromServerForm({ ...emptyServerForm(), name: 'web', transport: 'sse', url: 'https://x.test/sse', alwaysOn: true })).not.toHaveProperty('always_on');
  });

  it('marks an HTTP server per-user, which takes no shared bearer token', () => {
    const config = { name: 'gh', transport: 'streamable_http' as const, url: 'https://x.test/mcp', credentials: 'per_user' as const };
    expect(configFromServerForm(serverFormFromConfig(config))).toEqual(config);
    expect(configFromServerForm({ ...serverFormFromConfig(config), bearerToken: 'left over' })).not.toHaveProperty('bearer_token', 'left over');
  });

  it('round-trips a registered config for editing', () => {
    const config = { name: 'm', transport: 'stdio' as const, command: 'node', args: ['a', 'b'], env: { K: '********' }, description: 'mem' };
    expect(configFromServerForm(serverFormFromConfig(config))).toEqual(config);
  });
});
