// The web UI's admin token lives in sessionStorage: it is gone when the tab closes.
const KEY = 'canopy.token';

export function readToken(storage: Storage): string | undefined {
  return storage.getItem(KEY) ?? undefined;
}

export function saveToken(storage: Storage, token: string): void {
  storage.setItem(KEY, token);
}

export function clearToken(storage: Storage): void {
  storage.removeItem(KEY);
}
