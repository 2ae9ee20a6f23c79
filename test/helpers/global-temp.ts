/**
 * One temporary directory for a whole test run: every test's temporary files go under it (it is
 * the workers' TMPDIR), with the CLI's cache beside them, and it is removed when the run ends, so
 * that a run leaves nothing behind in the machine's /tmp, whatever a test forgets to delete.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "memlint-tests-"));
  // os.tmpdir() reads TMPDIR on POSIX systems and TEMP/TMP on Windows.
  for (const name of ["TMPDIR", "TEMP", "TMP"]) process.env[name] = root;
  // The CLI keeps results and package summaries in the user's cache directory: the suite's own, fresh each run.
  process.env.MEMLINT_CACHE = join(root, "memlint-cache");
  mkdirSync(process.env.MEMLINT_CACHE);
  return () => rmSync(root, { recursive: true, force: true });
}
