/** The benchmark corpus: Go standard library sources from Debian's `golang-go` package. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";

const CANDIDATES = ["/usr/lib/go/src", "/usr/share/go/src"];

export interface CorpusFile {
  path: string;
  text: string;
}

function findRoot(): string | undefined {
  for (const dir of CANDIDATES) if (existsSync(join(dir, "net/http/server.go"))) return realpathSync(dir);
  for (const entry of existsSync("/usr/lib") ? readdirSync("/usr/lib") : []) {
    const dir = join("/usr/lib", entry, "src");
    if (entry.startsWith("go-") && existsSync(join(dir, "net/http/server.go"))) return dir;
  }
  return undefined;
}

/** Installs golang-go when no corpus is present (the bench runs as root on these machines). */
export function corpusRoot(): string {
  let root = findRoot();
  if (root) return root;
  process.stderr.write("bench: installing Debian's golang-go for the Go standard library corpus…\n");
  try {
    execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
    execFileSync("apt-get", ["install", "-y", "-qq", "golang-go"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  } catch (err) {
    throw new Error(`could not install golang-go for the corpus (${(err as Error).message}); install it with apt-get and run again`);
  }
  root = findRoot();
  if (!root) throw new Error("golang-go is installed but no standard library sources were found under /usr/lib/go/src");
  return root;
}

/** Non-test .go files of the standard library (no testdata), largest first is not needed: sorted by path. */
export function loadCorpus(root: string, limitBytes = 64 * 1024 * 1024): CorpusFile[] {
  const out: CorpusFile[] = [];
  let total = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const st = statSync(path);
      if (st.isDirectory()) {
        if (name !== "testdata" && name !== "vendor") walk(path);
      } else if (name.endsWith(".go") && !name.endsWith("_test.go") && total < limitBytes) {
        const text = readFileSync(path, "utf8");
        total += text.length;
        out.push({ path: path.slice(root.length + 1), text });
      }
    }
  };
  walk(root);
  return out;
}
