/**
 * Which files a review analyzes under the configuration. Its own module, so that finding the files
 * (`memlint check` walking a repository, then answering from its result cache) loads no rules.
 */
import type { MemlintConfig } from "../config/types.js";
import { globMatcher } from "./globs.js";

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;
/** What protoc's Go plugins write (`x.pb.go`, `x_grpc.pb.go`, `x.pb.gw.go`): generated even where a project strips the header. */
const PROTOC_OUTPUT = /\.pb(?:\.gw)?\.go$/;

const matchers = new WeakMap<readonly string[], (path: string) => boolean>();

/** The compiled test of a list of globs, kept for as long as the list lives (a check asks it of every file). */
function matcher(globs: readonly string[]): (path: string) => boolean {
  let match = matchers.get(globs);
  if (!match) matchers.set(globs, (match = globMatcher(globs)));
  return match;
}

/** Why a path is out of scope under the configuration, or undefined when it is analyzed. */
export function exclusionReason(path: string, config: MemlintConfig, contents?: string | null): string | undefined {
  if (!path.endsWith(".go")) return "not a Go file";
  if (!config.tests && path.endsWith("_test.go")) return "test file (tests: false)";
  if (!matcher(config.paths.include)(path)) return "not matched by paths.include";
  if (matcher(config.paths.exclude)(path)) return "matched by paths.exclude";
  if (!config.generated && (PROTOC_OUTPUT.test(path) || (contents && GENERATED.test(contents.slice(0, 4096))))) return "generated file";
  return undefined;
}
