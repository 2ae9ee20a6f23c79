/** What a Go file's build constraint (and its name) say about when the file is compiled. */

/**
 * Whether the file's build constraint (the `//go:build` or `// +build` lines before the package
 * clause) cannot hold without `tag`: `tag`, or `tag` in a conjunction (`tag && linux`, the old
 * `tag,linux`), never negated.
 */
export function buildRequiresTag(text: string, tag: string): boolean {
  const header = text.slice(0, headerEnd(text));
  for (const m of header.matchAll(/^\/\/(?:go:build|\s*\+build)\s+(.*)$/gm)) {
    if (requires(m[1]!, tag)) return true;
  }
  return false;
}

/** Whether the file is compiled only for `goos`: by its name (`x_windows.go`, `x_windows_amd64.go`) or its constraint. */
export function builtOnlyFor(path: string, text: string, goos: string): boolean {
  return new RegExp(`_${goos}(_[a-z0-9]+)?\\.go$`).test(path) || buildRequiresTag(text, goos);
}

/** Where the package clause starts (build constraints must come before it). */
function headerEnd(text: string): number {
  const m = /^package\s/m.exec(text);
  return m ? m.index : Math.min(text.length, 4096);
}

function requires(expr: string, tag: string): boolean {
  const e = expr.trim();
  if (e.includes("||") || /\s/.test(e.replace(/\s*&&\s*/g, "&&")) || /[()]/.test(e)) return false;
  return e.split(/&&|,/).some((term) => term.trim() === tag);
}
