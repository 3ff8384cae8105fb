// The window's pages, addressed by the URL hash (#/servers, …) so reloads and links keep the page.
import { useEffect, useState } from 'react';

export const ROUTES = [
  { id: 'servers', title: 'Servers', enterpriseOnly: false },
  { id: 'tools', title: 'Tools', enterpriseOnly: false },
  { id: 'resources', title: 'Resources', enterpriseOnly: false },
  { id: 'groups', title: 'Groups', enterpriseOnly: false },
  { id: 'identities', title: 'Clients and users', enterpriseOnly: true },
  { id: 'connect', title: 'Connect an app', enterpriseOnly: false },
  { id: 'settings', title: 'Settings', enterpriseOnly: false },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '');
  return ROUTES.find((route) => route.id === id)?.id ?? 'servers';
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
