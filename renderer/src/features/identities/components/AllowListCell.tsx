// An allow-list in a table cell, as chips, with an inline editor (a user's list, an OAuth client's rule).
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { parseAllowList } from '../lib/allow-list.ts';

export interface AllowListCellProps {
  /** Who the list is of, for labels: `alice`, a client ID. */
  owner: string;
  allow: string[];
  onSave: (allow: string[]) => Promise<void>;
}

export function AllowListChips({ allow }: { allow: string[] }) {
  return allow.length ? <>{allow.map((entry) => <code key={entry} className="chip">{entry}</code>)}</> : <span className="muted">nothing</span>;
}

export function AllowListCell({ owner, allow, onSave }: AllowListCellProps) {
  const [draft, setDraft] = useState<string>();
  const save = useAction(async (entries: string[]) => {
    await onSave(entries);
    setDraft(undefined);
  });
  if (draft === undefined) {
    return (
      <span className="actions">
        <AllowListChips allow={allow} />
        <Button aria-label={`Edit what ${owner} may reach`} onClick={() => setDraft(allow.join(', '))}>
          Edit
        </Button>
      </span>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(parseAllowList(draft));
  };
  return (
    <form className="inline-form" aria-label={`What ${owner} may reach`} onSubmit={submit}>
      <label className="grow">
        <span className="visually-hidden">Allowed servers and tools for {owner}</span>
        <input value={draft} placeholder="github, research, or *" onChange={(e) => setDraft(e.target.value)} />
      </label>
      <Button type="submit" variant="primary" busy={save.busy}>
        Save
      </Button>
      <Button onClick={() => setDraft(undefined)}>Cancel</Button>
      <ErrorNote message={save.error} />
    </form>
  );
}
