/** The server setup the end-to-end test files share (vitest hooks: not for the benchmark). */
import { afterAll, beforeAll } from "vitest";
import { GitHubDouble } from "./github-double.js";
import { type AppProcess, startApp } from "./harness.js";

/**
 * A GitHub double and one app server for the tests of a file: started before them and stopped
 * after; `use` receives both once they run. `env` is added to the server's environment.
 */
export function serverForFile(use: (double: GitHubDouble, app: AppProcess) => void, env: Record<string, string> = {}): void {
  let double: GitHubDouble | undefined;
  let app: AppProcess | undefined;
  beforeAll(async () => {
    double = await GitHubDouble.start();
    app = await startApp(double, { env });
    use(double, app);
  }, 180_000);
  afterAll(async () => {
    await app?.stop();
    await double?.close();
  });
}
