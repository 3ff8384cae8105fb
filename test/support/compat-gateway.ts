// One gateway with an upstream of every capability shape, for the compatibility suite (test/compat):
// npm servers (filesystem, memory, sequential-thinking: tools only; server-everything over stdio,
// SSE and streamable HTTP: everything) and SDK-built ones for the shapes npm lacks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestGateway, type TestGateway } from './gateway.ts';
import { startEverythingHttp, stdioConfigs, type RunningHttpUpstream } from './upstreams.ts';
import { shapedStdioConfig } from './shaped-server.ts';
import { faultyStdioConfig } from './faulty-server.ts';

export interface CompatGateway extends TestGateway {
  /** The folder the filesystem server may read; holds hello.txt. */
  fsRoot: string;
}


export async function startCompatGateway(): Promise<CompatGateway> {
  const t = await startTestGateway();
  const upstreams: RunningHttpUpstream[] = [];
  try {
    const fsRoot = mkdtempSync(join(tmpdir(), 'canopy-compat-'));
    writeFileSync(join(fsRoot, 'hello.txt'), 'hello from the filesystem server');
    const [sse, http] = await Promise.all([startEverythingHttp('sse'), startEverythingHttp('streamableHttp')]);
    upstreams.push(sse, http);
    const configs = [
      stdioConfigs.filesystem(fsRoot, 'files'),
      stdioConfigs.memory('memory', join(fsRoot, 'memory.jsonl')),
      stdioConfigs.sequentialThinking('thinking'),
      stdioConfigs.everything(),
      { name: 'everything-sse', transport: 'sse' as const, url: sse.url },
      { name: 'everything-http', transport: 'streamable_http' as const, url: http.url },
      shapedStdioConfig('notes', 'prompts'),
      // Slow to start: its first initialize comes 1.5 s after the spawn.
      shapedStdioConfig('library', 'resources', { SLOW_START_MS: '1500' }),
      faultyStdioConfig('faulty'),
    ];
    await Promise.all(configs.map((config) => t.api.registerServer({ config })));
    await t.api.createGroup({ name: 'research', included_servers: ['files', 'notes'] });
    return {
      ...t,
      fsRoot,
      async close() {
        await t.close();
        await Promise.all(upstreams.map((upstream) => upstream.stop()));
      },
    };
  } catch (error) {
    await t.close();
    await Promise.all(upstreams.map((upstream) => upstream.stop()));
    throw error;
  }
}
