/**
 * Where memlint's documentation lives. Every link memlint writes — review comments, annotations,
 * `/memlint help` and `/memlint explain`, SARIF's `helpUri` and `informationUri`, the language
 * server's diagnostics — comes from one setting, `MEMLINT_DOCS_URL`: the URL of the folder that
 * holds `rules.md`, `commands.md` and the other pages of docs/. Without it (or when it is not an
 * http(s) URL), the docs folder of the repository package.json names.
 */

/** The project's home, as package.json's `homepage` and `repository` say (a test keeps them in step). */
export const HOMEPAGE = "https://github.com/memlint/memlint";
export const DEFAULT_DOCS_BASE = `${HOMEPAGE}/blob/main/docs/`;

export type DocsPage = "rules.md" | "commands.md" | "cli-and-config.md" | "app.md";

/**
 * The docs folder's URL, ending in `/`. A value naming the rules page itself (`…/rules.md`, what
 * `MEMLINT_DOCS_URL` meant before it covered every link) is read as its folder.
 */
export function docsBase(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.MEMLINT_DOCS_URL?.trim();
  if (!configured) return DEFAULT_DOCS_BASE;
  try {
    const url = new URL(configured);
    if (url.protocol !== "https:" && url.protocol !== "http:") return DEFAULT_DOCS_BASE;
    url.hash = "";
    url.search = "";
    url.pathname = url.pathname.replace(/\/rules\.md$/, "/").replace(/\/?$/, "/");
    return url.toString();
  } catch {
    return DEFAULT_DOCS_BASE;
  }
}

/** A page of the docs, optionally at an anchor. */
export function docsPageUrl(page: DocsPage, anchor?: string, env?: Readonly<Record<string, string | undefined>>): string {
  return `${docsBase(env)}${page}${anchor === undefined ? "" : `#${encodeURIComponent(anchor.toLowerCase())}`}`;
}

/** A rule's documentation: `rules.md#<rule-id>`. */
export function ruleDocsUrl(ruleId: string, env?: Readonly<Record<string, string | undefined>>): string {
  return docsPageUrl("rules.md", ruleId, env);
}
