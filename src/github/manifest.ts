/**
 * Registering the App from its manifest (GitHub's manifest flow): the manifest memlint offers —
 * `app.yml` with the public webhook URL and the address GitHub sends the browser back to — and the
 * exchange of the code GitHub returns for the new App's credentials.
 */
import { Octokit } from "@octokit/rest";
import { parse } from "yaml";

/** `app.yml` (name, permissions, events, …) with the deployment's addresses. */
export type AppManifest = Record<string, unknown> & { hook_attributes: { url: string; active: boolean }; redirect_url: string };

/** The manifest of `app.yml` with this deployment's webhook URL and setup address. */
export function appManifest(appYml: string, webhookUrl: string, redirectUrl: string): AppManifest {
  const manifest = parse(appYml) as Record<string, unknown>;
  return { ...manifest, hook_attributes: { url: webhookUrl, active: true }, redirect_url: redirectUrl };
}

/** What GitHub returns for a registered App. */
export interface AppCredentials {
  id: number;
  slug: string;
  htmlUrl: string;
  pem: string;
  webhookSecret: string;
  clientId: string;
  clientSecret: string;
}

/** Exchanges the code of the manifest flow for the App's credentials (`POST /app-manifests/{code}/conversions`). */
export async function convertManifest(apiUrl: string, code: string): Promise<AppCredentials> {
  const { data } = await new Octokit({ baseUrl: apiUrl }).rest.apps.createFromManifest({ code });
  return {
    id: data.id,
    slug: data.slug ?? "",
    htmlUrl: data.html_url,
    pem: data.pem,
    webhookSecret: data.webhook_secret ?? "",
    clientId: data.client_id,
    clientSecret: data.client_secret,
  };
}
