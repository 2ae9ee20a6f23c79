import type { UnchangedRegions } from "./regions.js";
import { firstIndex } from "./search.js";

/** Offsets ⇄ 1-based line/column for one source text. */
export class LineIndex {
  /**
   * Offsets of the line starts. (A typed array: its contents live outside the garbage-collected
   * heap, which then does not copy a large file's starts at every young-generation collection.)
   */
  private readonly starts: Uint32Array;

  /** @param starts the line starts, when the caller has computed them (see {@link LineIndex.forBase}) */
  constructor(
    readonly text: string,
    starts?: Uint32Array,
  ) {
    if (starts) {
      this.starts = starts;
    } else {
      // Room for lines of 16 characters on average (Go's are longer): most files never grow it.
      const builder = new StartsBuilder((text.length >> 4) + 1);
      builder.push(0);
      builder.pushNewlines(text, 0, text.length);
      this.starts = builder.done();
    }
  }

  /**
   * The index of `base`, another version of this (the head) text that shares `regions` with it:
   * the lines of the shared prefix and tail are this index's, only the changed middle is searched.
   */
  forBase(base: string, regions: UnchangedRegions): LineIndex {
    const { prefix, headTail, baseTail } = regions;
    const head = this.starts;
    const before = firstIndex(head.length, (i) => head[i]! > prefix);
    const after = firstIndex(head.length, (j) => head[j]! > headTail);
    const builder = new StartsBuilder(before + (head.length - after) + ((baseTail - prefix) >> 4) + 1);
    builder.pushAll(head.subarray(0, before), 0);
    builder.pushNewlines(base, prefix, baseTail);
    builder.pushAll(head.subarray(after), baseTail - headTail);
    return new LineIndex(base, builder.done());
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

  /**
   * {@link lineOf} for an offset on line `hint` or after it, searched forward from there in
   * growing steps: a walk through a file's declarations in order pays for the distance to the
   * next one rather than a search of the whole file each time.
   */
  lineOfFrom(offset: number, hint: number): number {
    const starts = this.starts;
    let lo = hint - 1;
    if (lo < 0 || lo >= starts.length || starts[lo]! > offset) return this.lineOf(offset);
    let step = 1;
    let bound = lo + 1;
    while (bound < starts.length && starts[bound]! <= offset) {
      lo = bound;
      step *= 2;
      bound = lo + step;
    }
    let hi = Math.min(bound, starts.length) - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
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

/** Line starts collected in a typed array that doubles when full. */
class StartsBuilder {
  private array: Uint32Array;
  private length = 0;

  constructor(capacity: number) {
    this.array = new Uint32Array(Math.max(capacity, 16));
  }

  push(offset: number): void {
    if (this.length === this.array.length) this.grow(this.length + 1);
    this.array[this.length++] = offset;
  }

  /** Appends the offset after each newline of `text` in `[from, to)`. */
  pushNewlines(text: string, from: number, to: number): void {
    for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) this.push(i + 1);
  }

  /** Appends `starts`, each moved by `shift`. */
  pushAll(starts: Uint32Array, shift: number): void {
    if (this.length + starts.length > this.array.length) this.grow(this.length + starts.length);
    if (shift === 0) this.array.set(starts, this.length);
    else for (let i = 0; i < starts.length; i++) this.array[this.length + i] = starts[i]! + shift;
    this.length += starts.length;
  }

  done(): Uint32Array {
    return this.array.subarray(0, this.length);
  }

  private grow(needed: number): void {
    const grown = new Uint32Array(Math.max(needed, this.array.length * 2));
    grown.set(this.array.subarray(0, this.length));
    this.array = grown;
  }
}
