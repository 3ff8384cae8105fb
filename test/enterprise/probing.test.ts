// An MCP client must not learn which names exist outside its allow-list: for every way of reaching
// a tool, prompt, resource, server or group, "does not exist" and "not yours" get the same answer
// (the same status and the same message but for the name asked about).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { stdioConfigs } from '../support/upstreams.ts';
import { rawInitialize, startEnterprise, type EnterpriseGateway } from './support.ts';
import type { AdminClient } from '../../main/core/api/client.ts';

/** What a caller sees of an attempt: the status (or JSON-RPC code) and message, the probed name blanked. */
async function answer(name: string, attempt: () => Promise<unknown>): Promise<string> {
  try {
    return `ok ${JSON.stringify(await attempt()).split(name).join('<name>')}`;
  } catch (error) {
    const { status, code, message } = error as { status?: number; code?: number | string; message: string };
    return `${status ?? ''} ${code ?? ''} ${message.split(name).join('<name>')}`;
  }
}

describe('no probing outside the allow-list', () => {
  let t: EnterpriseGateway;
  let token: string;
  let api: AdminClient;
  let mcp: Client;
  let everythingResource: string;

  beforeAll(async () => {
    t = await startEnterprise();
    const admin = t.apiAs(t.adminToken);
    await admin.registerServer({ config: stdioConfigs.everything() });
    await admin.registerServer({ config: stdioConfigs.memory('memory', join(mkdtempSync(join(tmpdir(), 'canopy-mem-')), 'memory.jsonl')) });
    await admin.createGroup({ name: 'team', included_servers: ['everything'] });
    token = (await admin.createClient({ name: 'mem', allow: ['memory'] })).token;
    const star = await t.connect('/mcp', {}, (await admin.createClient({ name: 'star', allow: ['*'] })).token);
    everythingResource = (await star.listResources()).resources.find((resource) => resource.uri.includes('everything'))!.uri;
    api = t.apiAs(token);
    mcp = await t.connect('/mcp', {}, token);
  }, 120_000);
  afterAll(async () => t?.close());

  it('answers the admin API the same for a forbidden and a missing tool or server', async () => {
    const pairs: [string, string][] = [
      ['everything__echo', 'nosuch__echo'],
      ['everything__echo', 'memory__nosuch'],
    ];
    for (const [forbidden, missing] of pairs) {
      const invoke = (name: string) => answer(name, () => api.invokeTool(name, { message: 'x' }));
      expect(await invoke(forbidden)).toBe(await invoke(missing));
      expect(await invoke(forbidden)).toMatch(/^403 forbidden/);
      const get = (name: string) => answer(name, () => api.getTool(name));
      expect(await get(forbidden)).toBe(await get(missing));
    }
    for (const list of [api.listTools, api.listPrompts, api.listResources]) {
      expect(await answer('everything', () => list('everything'))).toBe(await answer('nosuch', () => list('nosuch')));
    }
    expect(await api.listTools('memory')).not.toEqual([]);
  });

  it('answers tools/call, prompts/get and resources/read the same for a forbidden and a missing name', async () => {
    const call = (name: string) => answer(name, () => mcp.callTool({ name, arguments: { message: 'x' } }));
    expect(await call('everything__echo')).toBe(await call('nosuch__echo'));
    expect(await call('everything__echo')).toMatch(/not allowed/);
    const prompt = (name: string) => answer(name, () => mcp.getPrompt({ name }));
    expect(await prompt('everything__simple-prompt')).toBe(await prompt('nosuch__simple-prompt'));
    const read = (uri: string) => answer(uri, () => mcp.readResource({ uri }));
    expect(await read(everythingResource)).toBe(await read(everythingResource.replace('everything', 'nosuch')));
  });

  it('answers /servers/{name}/mcp and /groups/{name}/mcp the same for a forbidden and a missing name', async () => {
    const endpoint = async (kind: string, name: string) => {
      const { status, body } = await rawInitialize(t.url, `/${kind}/${name}/mcp`, token);
      return `${status} ${JSON.stringify(body).split(name).join('<name>')}`;
    };
    expect(await endpoint('servers', 'everything')).toBe(await endpoint('servers', 'nosuch'));
    expect(await endpoint('servers', 'everything')).toMatch(/^403/);
    expect(await endpoint('groups', 'team')).toBe(await endpoint('groups', 'nosuch'));
  });
});
