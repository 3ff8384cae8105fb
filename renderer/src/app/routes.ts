// The window's pages, addressed by the URL hash (#/servers, …) so reloads and links keep the page.
import { useEffect, useState } from 'react';

export const ROUTES = [
  { id: 'servers', title: 'Servers', enterpriseOnly: false },
  { id: 'tools', title: 'Tools', enterpriseOnly: false },
  { id: 'resources', title: 'Resources', enterpriseOnly: false },
  { id: 'groups', title: 'Groups', enterpriseOnly: false },
  { id: 'identities', title: 'Clients and users', enterpriseOnly: true },
  { id: 'connections', title: 'Connections', enterpriseOnly: true },
  { id: 'connect', title: 'Connect an app', enterpriseOnly: false },
  { id: 'settings', title: 'Settings', enterpriseOnly: false },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split('?')[0];
  return ROUTES.find((route) => route.id === id)?.id ?? 'servers';
}

/** A parameter of the current page's address (`#/connections?server=NAME`). */
export function hashParam(name: string): string | undefined {
  const query = window.location.hash.split('?')[1];
  return query ? (new URLSearchParams(query).get(name) ?? undefined) : undefined;
}

export function useHashRoute(): RouteId {
  const [route, setRoute] = useState(() => routeFromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(routeFromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
