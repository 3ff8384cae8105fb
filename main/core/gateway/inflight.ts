// Which downstream request is waiting on which upstream. An upstream's own requests (sampling,
// elicitation, roots) carry no link to the call that caused them, so they go to the client whose
// call to that upstream started most recently and is still running; over streamable HTTP they then
// travel on that call's response stream.
import type { ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';

export interface InflightCall {
  sessionId: string;
  /** Sends a request to the downstream client, related to the call in flight. */
  sendRequest<U extends AnySchema>(request: ServerRequest, schema: U, options?: RequestOptions): Promise<SchemaOutput<U>>;
}

export class InflightCalls {
  private readonly byServer = new Map<string, InflightCall[]>();

  /** Records a call in flight; the returned function removes it. */
  track(server: string, call: InflightCall): () => void {
    let calls = this.byServer.get(server);
    if (!calls) this.byServer.set(server, (calls = []));
    calls.push(call);
    return () => {
      const list = this.byServer.get(server);
      if (!list) return;
      const at = list.indexOf(call);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.byServer.delete(server);
    };
  }

  /** The most recently started call to `server` that is still running. */
  latest(server: string): InflightCall | undefined {
    const calls = this.byServer.get(server);
    return calls?.[calls.length - 1];
  }
}
