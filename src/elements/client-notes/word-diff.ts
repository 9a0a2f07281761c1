/**
 * A word-level difference between two texts, for the notes' history view: the longest common
 * subsequence of their words (and the spaces between them), after the common beginning and end
 * are set aside, so a local edit in a long note costs little. A middle too large for the table
 * (a note rewritten from top to bottom) is shown as removed, then added, whole.
 */

export interface DiffPart {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** Cells of the LCS table at most (2 bytes each): about 1,400 × 1,400 changed words. */
export const MAX_DIFF_CELLS = 2_000_000;

const tokens = (text: string) => text.match(/\s+|\S+/g) ?? [];
const isSpace = (token: string) => /^\s/.test(token);

export function wordDiff(before: string, after: string, maxCells = MAX_DIFF_CELLS): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffPart[] = a.slice(0, start).map((text) => ({ kind: 'same', text }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > maxCells || n >= 0xffff || m >= 0xffff) {
    for (const text of midA) ops.push({ kind: 'removed', text });
    for (const text of midB) ops.push({ kind: 'added', text });
  } else {
    // lcs[i * w + j]: the longest common subsequence of midA[i..] and midB[j..].
    const w = m + 1;
    const lcs = new Uint16Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] =
          midA[i] === midB[j]
            ? lcs[(i + 1) * w + j + 1]! + 1
            : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: 'same', text: midA[i++]! });
        j++;
      } else if (j >= m || (i < n && lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        ops.push({ kind: 'removed', text: midA[i++]! });
      } else {
        ops.push({ kind: 'added', text: midB[j++]! });
      }
    }
  }
  for (const text of a.slice(endA)) ops.push({ kind: 'same', text });
  return group(ops);
}

/**
 * Joins the tokens into parts. A run of changes reads as one removal, then one addition: the
 * spaces that the two texts share inside it ("a b" → "x y" matches the space) go to both.
 */
function group(ops: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let removed = '';
  let added = '';
  const push = (kind: DiffPart['kind'], text: string) => {
    if (!text) return;
    const last = out.at(-1);
    if (last?.kind === kind) last.text += text;
    else out.push({ kind, text });
  };
  const flush = () => {
    push('removed', removed);
    push('added', added);
    removed = added = '';
  };
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k]!;
    if (op.kind === 'removed') removed += op.text;
    else if (op.kind === 'added') added += op.text;
    else if ((removed || added) && isSpace(op.text) && ops[k + 1] && ops[k + 1]!.kind !== 'same') {
      removed += op.text;
      added += op.text;
    } else {
      flush();
      push('same', op.text);
    }
  }
  flush();
  return out;
}
