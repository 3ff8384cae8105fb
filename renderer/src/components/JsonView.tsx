export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <pre className="code" aria-label={label} tabIndex={0}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
