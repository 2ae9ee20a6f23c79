/** Offsets ⇄ 1-based line/column for one source text. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** Lines of the text: 0 for an empty text, and a final newline does not start another. */
  get lineCount(): number {
    if (this.text === "") return 0;
    return this.text.endsWith("\n") ? this.starts.length - 1 : this.starts.length;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based column (in UTF-16 code units) of an offset. */
  columnOf(offset: number): number {
    return offset - this.starts[this.lineOf(offset) - 1]! + 1;
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
  }

  /** Offset just past the end of a 1-based line (before its newline). */
  lineEnd(line: number): number {
    const next = this.starts[line];
    return next === undefined ? this.text.length : next - 1;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** 0-based row and column, as tree-sitter wants them. */
  point(offset: number): { row: number; column: number } {
    const line = this.lineOf(offset);
    return { row: line - 1, column: offset - this.starts[line - 1]! };
  }
}
