// A small unified line diff for `--dry-run`. Config edits touch one region, so the common head and
// tail are cut off first and only the (small) middle is compared; files like ~/.claude.json can be
// megabytes long.
const CONTEXT = 3;
/** Above this many lines in the changed middle, show it as one removed and one added block. */
const MAX_MIDDLE = 2000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function middleOps(before: string[], after: string[]): Op[] {
  if (before.length > MAX_MIDDLE || after.length > MAX_MIDDLE) {
    return [...before.map((line) => ({ kind: '-' as const, line })), ...after.map((line) => ({ kind: '+' as const, line }))];
  }
  // Longest common subsequence table, filled from the end.
  const lcs = Array.from({ length: before.length + 1 }, () => new Uint32Array(after.length + 1));
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    if (i < before.length && j < after.length && before[i] === after[j]) {
      ops.push({ kind: ' ', line: before[i++] });
      j++;
    } else if (i < before.length && (j === after.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', line: before[i++] });
    } else {
      ops.push({ kind: '+', line: after[j++] });
    }
  }
  return ops;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `--- label` / `+++ label` and one hunk around the change; '' when nothing changed. */
export function unifiedDiff(label: string, beforeText: string, afterText: string): string {
  if (beforeText === afterText) return '';
  const before = splitLines(beforeText);
  const after = splitLines(afterText);
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  ) {
    tail++;
  }
  const start = Math.max(0, head - CONTEXT);
  const ops: Op[] = [
    ...before.slice(start, head).map((line) => ({ kind: ' ' as const, line })),
    ...middleOps(before.slice(head, before.length - tail), after.slice(head, after.length - tail)),
    ...before.slice(before.length - tail, before.length - tail + CONTEXT).map((line) => ({ kind: ' ' as const, line })),
  ];
  const oldCount = ops.filter((op) => op.kind !== '+').length;
  const newCount = ops.filter((op) => op.kind !== '-').length;
  const range = (from: number, count: number) => `${count === 0 ? from : from + 1},${count}`;
  return [
    `--- ${beforeText === '' ? '/dev/null' : label}`,
    `+++ ${label}`,
    `@@ -${range(start, oldCount)} +${range(start, newCount)} @@`,
    ...ops.map((op) => `${op.kind}${op.line}`),
  ].join('\n');
}
