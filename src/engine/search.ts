/** The first index in `[0, length)` where `holds` is true, for a `holds` that is false, then true (binary search). */
export function firstIndex(length: number, holds: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (holds(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
