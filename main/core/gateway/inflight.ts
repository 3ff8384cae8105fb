// Which downstream request is waiting on which upstream. An upstream's own requests (sampling,
// elicitation, roots) carry no link to the call that caused them, so they go to the client whose
// call to that upstream started most recently and is still running (over streamable HTTP they then
// travel on that call's response stream) — and only while all such calls come from one identity:
// with two identities' calls in flight Canopy cannot tell whose data the request carries.
import type { ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';

export interface InflightCall {
  sessionId: string;
  /** Who made the call (enterprise mode); undefined in development mode. */
  identity: string | undefined;
  /** Whether the calling client declared the capability `method` needs. */
  accepts(method: string): boolean;
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

  /**
   * The most recently started call to `server`, still running, whose client accepts `method`;
   * 'ambiguous' when such calls come from more than one identity.
   */
  pick(server: string, method: string): InflightCall | 'ambiguous' | undefined {
    const calls = (this.byServer.get(server) ?? []).filter((call) => call.accepts(method));
    if (new Set(calls.map((call) => call.identity)).size > 1) return 'ambiguous';
    return calls[calls.length - 1];
  }
}
