// Copies text to the clipboard and says so. Falls back to selecting a hidden textarea where the
// Clipboard API is unavailable (plain http on a non-loopback host).
import { useState } from 'react';
import { Button } from './Button.tsx';

function copyWithSelection(text: string): void {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      copyWithSelection(text);
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <Button onClick={copy} aria-label={label}>
      {copied ? 'Copied' : label}
    </Button>
  );
}
