// Every OAuth request to an upstream or its authorization server is bounded in time, so a silent
// server never stalls a registration, a callback or a background refresh.
import type { FetchLike } from '@modelcontextprotocol/client';

export function boundedFetch(timeoutMs: number): FetchLike {
  return (url, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return fetch(url, { ...init, signal });
  };
}
