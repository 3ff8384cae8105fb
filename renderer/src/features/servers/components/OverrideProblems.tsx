// Overrides that do not apply as asked (the tool is gone, or its name is taken), each with a way out.
import type { ToolOverrideView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';

function OverrideProblem({ override, onChanged }: { override: ToolOverrideView; onChanged: () => void }) {
  const { client } = useGateway();
  const clear = useAction(async () => {
    await client.clearToolOverride(`${override.server}__${override.tool}`);
    onChanged();
  });
  return (
    <li>
      <span>{override.problem}</span>{' '}
      <Button className="small" busy={clear.busy} onClick={() => void clear.run()}>
        Clear override of {override.tool}
      </Button>
      <ErrorNote message={clear.error} />
    </li>
  );
}

export function OverrideProblems({ overrides, onChanged }: { overrides: ToolOverrideView[]; onChanged: () => void }) {
  const problems = overrides.filter((override) => override.problem);
  if (problems.length === 0) return null;
  return (
    <ul className="warning" aria-label="Overrides that need attention">
      {problems.map((override) => (
        <OverrideProblem key={override.tool} override={override} onChanged={onChanged} />
      ))}
    </ul>
  );
}
