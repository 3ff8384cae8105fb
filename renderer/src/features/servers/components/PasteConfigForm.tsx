// Paste a server config, an array of them, or a Claude/Cursor `mcpServers` file; each entry is
// registered on its own and gets its own result line.
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useRegisterEntries } from '../hooks/use-register-entries.ts';
import { parsePastedConfig } from '../lib/pasted-config.ts';
import { RegisterResults } from './RegisterResults.tsx';

const EXAMPLE = `{
  "mcpServers": {
    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] },
    "docs": { "url": "https://example.com/mcp" }
  }
}`;

export function PasteConfigForm({ onRegistered, onCancel }: { onRegistered: () => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [replace, setReplace] = useState(false);
  const [problem, setProblem] = useState<string>();
  const { results, busy, register } = useRegisterEntries(onRegistered);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const entries = parsePastedConfig(text);
      setProblem(undefined);
      await register(entries, replace);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <form className="card form" aria-label="Paste a config" onSubmit={submit}>
      <label>
        Server config JSON
        <textarea className="code-input" rows={10} spellCheck={false} placeholder={EXAMPLE} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <p className="hint">
        A Canopy/MCPJungle server config (<code>{'{"name", "transport", …}'}</code>), a list of them, or the <code>mcpServers</code> object of a
        Claude Desktop, Cursor or VS Code config. Write secrets literally: <code>{'${VAR}'}</code> placeholders are expanded only by the{' '}
        <code>canopy register</code> command.
      </p>
      <label className="inline">
        <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />
        Replace servers that already exist
      </label>
      <ErrorNote message={problem} />
      <RegisterResults results={results} />
      <div className="actions">
        <Button type="submit" variant="primary" busy={busy}>
          Register all
        </Button>
        <Button onClick={onCancel}>{results.length ? 'Close' : 'Cancel'}</Button>
      </div>
    </form>
  );
}
