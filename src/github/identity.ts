/**
 * Who memlint is: the App's id (to recognise its own check runs) and slug (its bot user
 * `<slug>[bot]` wrote the comments whose fingerprints count). Read once per process with
 * `GET /app` (App JWT), or taken from `APP_ID` + `MEMLINT_APP_SLUG` when both are set.
 */
import type { Probot } from "probot";
import type { AppIdentity } from "./threads.js";

export type IdentityLoader = () => Promise<AppIdentity>;

export function identityFromEnv(env: NodeJS.ProcessEnv): AppIdentity | undefined {
  const id = Number(env.APP_ID);
  const slug = env.MEMLINT_APP_SLUG?.trim();
  return Number.isInteger(id) && id > 0 && slug ? { id, slug } : undefined;
}

export function identityLoader(app: Probot, preset?: AppIdentity): IdentityLoader {
  let cached: Promise<AppIdentity> | undefined = preset ? Promise.resolve(preset) : undefined;
  return () => {
    cached ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data?.slug) throw new Error("GET /app returned no slug");
      return { id: data.id, slug: data.slug };
    })().catch((err: unknown) => {
      cached = undefined;
      throw err;
    });
    return cached;
  };
}
