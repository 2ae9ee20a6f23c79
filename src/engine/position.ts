import type { UnchangedRegions } from "./regions.js";
import { firstIndex } from "./search.js";

/** Offsets ⇄ 1-based line/column for one source text. */
export class LineIndex {
  private readonly starts: number[];

  /** @param starts the line starts, when the caller has computed them (see {@link LineIndex.forBase}) */
  constructor(
    readonly text: string,
    starts?: number[],
  ) {
    this.starts = starts ?? newlinesAfter(text, 0, text.length, [0]);
  }

  /**
   * The index of `base`, another version of this (the head) text that shares `regions` with it:
   * the lines of the shared prefix and tail are this index's, only the changed middle is searched.
   */
  forBase(base: string, regions: UnchangedRegions): LineIndex {
    const { prefix, headTail, baseTail } = regions;
    const starts = this.starts.slice(0, firstIndex(this.starts.length, (i) => this.starts[i]! > prefix));
    newlinesAfter(base, prefix, baseTail, starts);
    const shift = baseTail - headTail;
    for (let i = firstIndex(this.starts.length, (j) => this.starts[j]! > headTail); i < this.starts.length; i++) starts.push(this.starts[i]! + shift);
    return new LineIndex(base, starts);
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

/** Appends to `starts` the offset after each newline of `text` in `[from, to)`. */
function newlinesAfter(text: string, from: number, to: number, starts: number[]): number[] {
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}
