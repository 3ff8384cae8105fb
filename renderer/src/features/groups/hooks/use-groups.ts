// Tool groups: list, create, replace and delete, reloading the list after each change.
import type { GroupConfig } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';

export function useGroups() {
  const { client } = useGateway();
  const groups = useResource(() => client.listGroups(), [client]);
  /** Creates the group, or replaces `editing` (renaming is not possible: the name is the group's URL). */
  const save = useAction(async (config: GroupConfig, editing?: string) => {
    if (editing) {
      const { name: _name, ...rest } = config;
      await client.updateGroup(editing, rest);
    } else {
      await client.createGroup(config);
    }
    await groups.reload();
    return true;
  });
  const remove = useAction(async (name: string) => {
    await client.deleteGroup(name);
    await groups.reload();
  });
  return { groups, save, remove };
}
