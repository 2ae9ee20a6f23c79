/**
 * Per-process guards against doing the same work twice: runs for one pull request go one after
 * the other (a redelivery or a quick second push waits for the first run, which then finds the
 * head moved on or the fingerprints already posted), and a delivery that completed is not run
 * again. Fingerprint markers on GitHub stay the guarantee across processes and restarts.
 */

export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  get size(): number {
    return this.tails.size;
  }
}

/** The most recent delivery ids (insertion order; the oldest are forgotten first). */
export class RecentDeliveries {
  private readonly ids = new Set<string>();

  constructor(private readonly max = 2000) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.max) this.ids.delete(this.ids.values().next().value!);
  }
}
