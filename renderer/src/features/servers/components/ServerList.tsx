import type { ServerView } from '@core/api/contract.ts';
import { ServerRow } from './ServerRow.tsx';

export interface ServerListProps {
  servers: ServerView[];
  selected: string | undefined;
  onSelect: (name: string) => void;
  onChanged: () => void;
}

export function ServerList({ servers, selected, onSelect, onChanged }: ServerListProps) {
  if (servers.length === 0) {
    return <p className="empty">No servers yet. Add one with a form, or paste the mcpServers config of Claude Desktop or Cursor.</p>;
  }
  return (
    <ul className="server-list" aria-label="Servers">
      {servers.map((server) => (
        <ServerRow key={server.name} server={server} selected={server.name === selected} onSelect={() => onSelect(server.name)} onChanged={onChanged} />
      ))}
    </ul>
  );
}
