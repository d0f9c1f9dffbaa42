/** Offsets to lines and columns, with one pass over the text and a binary search per offset (never a re-scan). */

export interface LineIndex {
  /** 0-based line of an offset. */
  lineOf(offset: number): number;
  /** 1-based line and column (UTF-16 units), as editors and SARIF count them. */
  position(offset: number): { line: number; column: number };
}

export function lineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    lineOf,
    position(offset) {
      const line = lineOf(offset);
      return { line: line + 1, column: offset - starts[line] + 1 };
    },
  };
}
