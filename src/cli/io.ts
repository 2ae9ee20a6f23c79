/** What the CLI writes to and where it runs, injectable so tests can run it in-process. */
import { realpathSync } from "node:fs";
export interface Output {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIO {
  stdout: Output;
  stderr: Output;
  /** Directory the command runs in. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: findings at or above `--fail-on`, usage and input errors, and memlint's own bugs. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** A usage or input error: printed as one line on stderr, exit code 2. */
export class CliError extends Error {}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIO): boolean {
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== "0") return true;
  return io.stdout.isTTY === true;
}

/** The real path of the directory memlint runs in. */
export function realCwd(io: CliIO): string {
  try {
    return realpathSync(io.cwd);
  } catch {
    throw new CliError(`no such directory: ${io.cwd}`);
  }
}
