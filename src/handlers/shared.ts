/** What every handler of one App instance shares: identity, serialization, delivery memory. */
import type { Logger } from "probot";
import type { IdentityLoader } from "../github/identity.js";
import type { RunOutcome } from "./run.js";
import { KeyedQueue, RecentDeliveries } from "./serialize.js";

export interface Shared {
  identity: IdentityLoader;
  queue: KeyedQueue;
  deliveries: RecentDeliveries;
  /** `MEMLINT_ENVIRONMENT`, read per event. */
  environmentOverride: () => string | undefined;
}

export function createShared(identity: IdentityLoader, environmentOverride: () => string | undefined): Shared {
  return { identity, queue: new KeyedQueue(), deliveries: new RecentDeliveries(), environmentOverride };
}

export function pullKey(owner: string, repo: string, pullNumber: number): string {
  return `${owner}/${repo}#${pullNumber}`.toLowerCase();
}

/**
 * Runs `task` for a delivery once: after earlier runs of the same pull request, and not at all
 * when this delivery already completed in this process (a redelivery of a handled webhook).
 * Throws when the run could not even complete its check run, so GitHub records the delivery as
 * failed and it can be redelivered.
 */
export async function runOnce(
  shared: Shared,
  deliveryId: string,
  key: string,
  log: Logger,
  task: () => Promise<RunOutcome | undefined>,
): Promise<void> {
  await shared.queue.run(key, async () => {
    if (shared.deliveries.has(deliveryId)) {
      log.info("delivery already handled in this process; nothing to do");
      return;
    }
    const outcome = await task();
    if (!outcome) return;
    if (!outcome.failed) shared.deliveries.add(deliveryId);
    if (!outcome.completed) throw new Error(`memlint could not complete its check run (${outcome.stats.error ?? "unknown error"})`);
  });
}
