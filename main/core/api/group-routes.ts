// Tool groups over the admin API: /groups (list, create), /groups/{name} (get, replace, delete).
import { Hono } from 'hono';
import { z } from 'zod';
import type { GroupAdmin } from '../access/group-admin.ts';
import type { ApiEnv } from '../access/access-guard.ts';
import { readJson } from './read-json.ts';

const lists = {
  description: z.string().optional(),
  included_servers: z.array(z.string()).optional(),
  included_tools: z.array(z.string()).optional(),
  excluded_tools: z.array(z.string()).optional(),
};
const groupBody = z.strictObject({ name: z.string(), ...lists });
const groupUpdateBody = z.strictObject(lists);

export function groupRoutes(groups: GroupAdmin): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  api.get('/groups', async (c) => c.json(await groups.list()));
  api.post('/groups', async (c) => c.json(await groups.create(await readJson(c, groupBody, 'group')), 201));
  api.get('/groups/:name', async (c) => c.json(await groups.get(c.req.param('name'))));
  api.put('/groups/:name', async (c) => c.json(await groups.update(c.req.param('name'), await readJson(c, groupUpdateBody, 'group'))));
  api.delete('/groups/:name', async (c) => {
    await groups.delete(c.req.param('name'));
    return c.body(null, 204);
  });
  return api;
}
