// The server's recent stderr (stdio) or connection log (HTTP), refreshed on demand.
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useResource } from '../../../lib/use-resource.ts';

export function ServerLog({ name }: { name: string }) {
  const { client } = useGateway();
  const logs = useResource(() => client.serverLogs(name), [client, name]);
  const lines = logs.data?.lines ?? [];
  return (
    <section aria-label={`${name} log`}>
      <h3>
        Log{' '}
        <Button variant="ghost" busy={logs.loading} onClick={() => logs.reload()}>
          Refresh log
        </Button>
      </h3>
      <ErrorNote message={logs.error} />
      <pre className="code log" aria-label={`${name} log lines`} tabIndex={0}>
        {lines.length ? lines.join('\n') : logs.loading ? '' : '(nothing logged yet)'}
      </pre>
    </section>
  );
}
